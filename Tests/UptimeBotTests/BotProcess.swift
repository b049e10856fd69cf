import FakeTelegramAPI
import Foundation
import Mongo
import TestSupport

/// The real `uptime-bot` binary next to this test bundle, run against the fake Bot API and a
/// database of the test's mongod.
enum BotProcess {
    /// Its log is read only when a test fails (a few lines at info); `settings` add to or replace
    /// the defaults here.
    static func start(fake: FakeBotAPIServer, database: MongoDatabase, settings: [String: String] = [:]) throws
        -> ServerProcess
    {
        let directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        var environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "BOT_TOKEN": fake.token, "TELEGRAM_API_URL": fake.baseURL,
            "MONGODB_URI": TestEnvironment.mongoURI ?? "", "MONGODB_DATABASE": database.name,
            "HEALTH_HOST": "127.0.0.1", "HEALTH_PORT": "\(try ServerProcess.freeLoopbackPort())", "LOG_LEVEL": "info",
        ]
        environment.merge(settings) { _, setting in setting }
        return try ServerProcess(
            name: "uptime-bot", executable: directory.appendingPathComponent("uptime-bot").path,
            arguments: ["run"], environment: environment, captureOutput: true)
    }
}
