import FakeTelegramAPI
import Foundation
import TestSupport
import Testing

/// `uptime-bot doctor`, the real binary, against the fake Bot API, the real mongod and a real squid.
struct DoctorTests {
    /// Runs `uptime-bot doctor --env-file FILE`; its output and exit code.
    private func doctor(_ settings: [String], mode: Int16 = 0o600, environment: [String: String] = [:]) async throws
        -> (
            output: String, code: Int32?
        )
    {
        let file = try UptimeBotBinary.envFile(settings, mode: mode)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let process = try ServerProcess(
            name: "uptime-bot doctor", executable: UptimeBotBinary.path, arguments: ["doctor", "--env-file", file],
            environment: UptimeBotBinary.environment(environment), captureOutput: true)
        let result = await process.collectOutput(timeout: .seconds(60))
        return (result.output, result.exitStatus.map { ($0 >> 8) & 0xff })
    }

    private func baseSettings(_ fake: FakeBotAPIServer) throws -> [String] {
        guard let mongo = TestEnvironment.mongoURI else {
            throw ServerProcessError("UPTIMEBOT_TEST_MONGODB_URI is not set: run the tests with scripts/test.sh")
        }
        return [
            "BOT_TOKEN=\(fake.token)", "TELEGRAM_API_URL=\(fake.baseURL)", "MONGODB_URI=\(mongo)",
            "HEALTH_HOST=127.0.0.1", "HEALTH_PORT=\(try ServerProcess.freeLoopbackPort())",
        ]
    }

    @Test func aWorkingSetupPassesEveryCheckWithOneOkLineEach() async throws {
        try await withFakeBotAPIServer { fake in
            let (output, code) = try await doctor(try baseSettings(fake))
            #expect(code == 0, "\(output)")
            for check in ["env file", "clock", "telegram", "icmp", "health port"] {
                #expect(output.contains("ok    \(check)"), "\(check): \(output)")
            }
            // The test mongod runs without --auth: reachable and usable, but a warning says no one logged in.
            #expect(output.contains("WARN  mongodb      MongoDB 6.0."), "\(output)")
            #expect(output.contains("without a login: no user in MONGODB_URI"), "\(output)")
            #expect(output.contains("direct (no TELEGRAM_PROXY"), "\(output)")
            #expect(!output.contains("FAIL"), "\(output)")
        }
    }

    @Test func aDeadProxyFailsTheTelegramCheckNamingThatProxyAndTheSetting() async throws {
        try await withFakeBotAPIServer { fake in
            let deadPort = try ServerProcess.freeLoopbackPort()
            let (output, code) = try await doctor(
                try baseSettings(fake) + ["TELEGRAM_PROXY=http://127.0.0.1:\(deadPort)"])
            #expect(code == 1, "\(output)")
            let line = output.split(separator: "\n").first { $0.hasPrefix("FAIL  telegram") } ?? ""
            #expect(line.contains("via proxy http://127.0.0.1:\(deadPort) (TELEGRAM_PROXY)"), "\(output)")
            #expect(output.contains("mongodb      MongoDB 6.0."), "the other checks still run: \(output)")
        }
    }

    @Test func aProxyThatNoProxyBypassesIsReportedAsDirect() async throws {
        try await withFakeBotAPIServer { fake in
            let deadPort = try ServerProcess.freeLoopbackPort()
            // In the environment, as docker compose's env_file puts it.
            let (output, code) = try await doctor(
                try baseSettings(fake) + ["TELEGRAM_PROXY=http://127.0.0.1:\(deadPort)"],
                environment: ["no_proxy": "127.0.0.1"])
            #expect(code == 0, "libcurl goes direct, as the bot would: \(output)")
            #expect(output.contains("direct (no_proxy covers 127.0.0.1, so TELEGRAM_PROXY is not used)"), "\(output)")
        }
    }

    @Test func aWorkingSquidProxyIsNamedOnTheTelegramLine() async throws {
        let squid = try await SquidProxy()
        defer { squid.stop() }
        try await withFakeBotAPIServer { fake in
            let (output, code) = try await doctor(try baseSettings(fake) + ["TELEGRAM_PROXY=\(squid.url)"])
            #expect(code == 0, "\(output)")
            #expect(output.contains("via proxy \(squid.url) (TELEGRAM_PROXY)"), "\(output)")
            #expect(await squid.waitForAccessLog(containing: "/getMe"), "getMe went through squid")
        }
    }

    @Test func anUnreachableMongoDBAndAWorldReadableEnvFileAreEachOneFailLine() async throws {
        try await withFakeBotAPIServer { fake in
            let deadPort = try ServerProcess.freeLoopbackPort()
            var settings = try baseSettings(fake).filter { !$0.hasPrefix("MONGODB_URI=") }
            settings.append(
                "MONGODB_URI=mongodb://doctor:s3cret-pw@127.0.0.1:\(deadPort)/?serverSelectionTimeoutMS=1000")
            let (output, code) = try await doctor(settings, mode: 0o644)
            #expect(code == 1, "\(output)")
            #expect(output.contains("FAIL  mongodb"), "\(output)")
            #expect(output.contains("mongodb://doctor:***@127.0.0.1:\(deadPort)"), "\(output)")
            #expect(!output.contains("s3cret-pw"), "the password is never printed: \(output)")
            #expect(output.contains("FAIL  env file") && output.contains("chmod 600"), "\(output)")
            #expect(output.contains("ok    telegram"), "\(output)")
        }
    }

    @Test func aWrongMongoDBPasswordIsReportedAsRefused() async throws {
        try await withFakeBotAPIServer { fake in
            guard let mongo = TestEnvironment.mongoURI, let scheme = mongo.range(of: "://") else {
                throw ServerProcessError("UPTIMEBOT_TEST_MONGODB_URI is not set: run the tests with scripts/test.sh")
            }
            // With a user in the URI libmongoc logs in (SCRAM) even where mongod runs without --auth; the
            // user does not exist, so the login fails as a wrong password does.
            let uri = "mongodb://nobody:wrong-pw@" + mongo[scheme.upperBound...]
            var settings = try baseSettings(fake).filter { !$0.hasPrefix("MONGODB_URI=") }
            settings.append("MONGODB_URI=\(uri)")
            let (output, code) = try await doctor(settings)
            #expect(code == 1, "\(output)")
            #expect(output.contains("FAIL  mongodb") && output.contains("refused the login"), "\(output)")
            #expect(!output.contains("wrong-pw"), "\(output)")
        }
    }
}
