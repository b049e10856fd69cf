import FakeTelegramAPI
import Foundation
import TestSupport
import Testing

/// SIGHUP on the real `uptime-bot run`: LOG_LEVEL is read again from the env file, no restart.
struct LogLevelReloadTests {
    @Test func sighupAppliesTheEnvFilesNewLogLevelAndABadValueKeepsTheOldOne() async throws {
        try await withFakeBotAPIServer { fake in
            let port = try ServerProcess.freeLoopbackPort()
            let settings = [
                "BOT_TOKEN=\(fake.token)", "TELEGRAM_API_URL=\(fake.baseURL)", "HEALTH_HOST=127.0.0.1",
                "HEALTH_PORT=\(port)",
            ]
            let file = try UptimeBotBinary.envFile(settings + ["LOG_LEVEL=info"])
            defer { try? FileManager.default.removeItem(atPath: file) }
            let bot = try ServerProcess(
                name: "uptime-bot", executable: UptimeBotBinary.path, arguments: ["run", "--env-file", file],
                environment: UptimeBotBinary.environment([:]), captureOutput: true)
            try await bot.waitUntilListening(port: port)
            #expect(try await line(of: bot, containing: "uptime-bot started") != nil)

            try (settings + ["LOG_LEVEL=debug"]).joined(separator: "\n").write(
                toFile: file, atomically: true, encoding: .utf8)
            kill(bot.pid, SIGHUP)
            let reloaded = try await line(of: bot, containing: "LOG_LEVEL is now debug")
            #expect(reloaded?.contains("(was info)") == true, "\(reloaded ?? "no line")")

            try (settings + ["LOG_LEVEL=loud"]).joined(separator: "\n").write(
                toFile: file, atomically: true, encoding: .utf8)
            kill(bot.pid, SIGHUP)
            let refused = try await line(of: bot, containing: "SIGHUP: LOG_LEVEL")
            #expect(refused?.contains("\"loud\" is not one of") == true, "\(refused ?? "no line")")
            #expect(refused?.contains("the level stays debug") == true, "\(refused ?? "no line")")
            #expect(bot.isRunning, "SIGHUP does not stop the bot")
            await bot.terminate()
        }
    }

    /// The first stdout line containing `text` within 20 s.
    private func line(of process: ServerProcess, containing text: String) async throws -> String? {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            guard let line = await process.readLine(timeout: .seconds(1)) else { continue }
            if line.contains(text) { return line }
        }
        return nil
    }
}
