import FakeTelegramAPI
import Foundation
import Logging
import TelegramAPI
import TestSupport
import Testing

/// Bot API traffic through a real squid on loopback, the DMZ's only way out: `TELEGRAM_PROXY`
/// (explicit) and libcurl's `http_proxy`/`no_proxy` environment. The environment cases run in a
/// child process (an exit test), because the environment is shared by every test in this one.
// Serialized: each test starts a squid, two also a child process; one at a time is gentler on CI.
@Suite(.serialized, .enabled(if: SquidProxy.isAvailableOrRequired, "needs squid (apt-get install squid)"))
struct BotAPIProxyTests {
    /// Squid's log lines for requests to the fake, as "METHOD name" pairs ("POST getMe").
    static func proxiedCalls(_ squid: SquidProxy, fakePort: Int) -> [String] {
        squid.accessLogLines().compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let url = fields.first(where: { $0.contains("127.0.0.1:\(fakePort)/bot") }),
                let verb = fields.firstIndex(of: url).map({ fields[$0 - 1] })
            else { return nil }
            return "\(verb) \(url.split(separator: "/").last ?? "")"
        }
    }

    /// The calls the child process makes: one of each kind the bot makes all day.
    static func exercise(_ client: TelegramClient) async throws {
        _ = try await client.getMe()
        _ = try await client.sendMessage(chatID: 1001, text: "через прокси")
        _ = try await client.call(GetUpdates(timeout: 0))
    }

    static let expectedCalls = ["POST getMe", "POST sendMessage", "POST getUpdates"]

    @Test func telegramProxyCarriesEveryBotAPICallThroughSquid() async throws {
        let squid = try await SquidProxy()
        defer { squid.stop() }
        try await withBotAPI { api in
            let client = api.client(telegramProxy: squid.url)
            try await Self.exercise(client)
            #expect(await squid.waitForAccessLog(containing: "/getUpdates", timeout: .seconds(30)))
            #expect(Self.proxiedCalls(squid, fakePort: api.fake.port) == Self.expectedCalls)
            #expect(api.fake.callCount == Self.expectedCalls.count)
        }
    }

    @Test func uploadsGetFileAndDownloadsGoThroughTheProxyLikeEveryCall() async throws {
        let squid = try await SquidProxy()
        defer { squid.stop() }
        try await withBotAPI { api in
            let client = api.client(telegramProxy: squid.url)
            _ = try await client.sendDocument(
                chatID: 1001, file: InputFile(fileName: "a.json", mimeType: "application/json", bytes: Array("{}".utf8))
            )
            let bytes = Array("10.0.0.1\n".utf8)
            api.fake.sendDocument(from: .anna, fileName: "b.txt", mimeType: "text/plain", bytes: bytes)
            let update = try #require(try await client.call(GetUpdates(timeout: 0)).first)
            let id = try #require(update.message?.document?.fileID)
            #expect(try await client.download(fileID: id, maxBytes: 1000) == bytes)
            #expect(await squid.waitForAccessLog(containing: "/file/bot", timeout: .seconds(30)))
            #expect(
                Self.proxiedCalls(squid, fakePort: api.fake.port) == [
                    "POST sendDocument", "POST getUpdates", "POST getFile",
                ])
            #expect(squid.accessLogLines().filter { $0.contains("GET") && $0.contains("/file/bot") }.count == 1)
            #expect(api.fake.callCount == 4)
        }
    }

    @Test func noProxyCoveringTheHostKeepsBotAPICallsOffTheProxy() async throws {
        let squid = try await SquidProxy()
        defer { squid.stop() }
        try await withBotAPI { api in
            let client = api.client(telegramProxy: squid.url, noProxy: "127.0.0.1")
            try await Self.exercise(client)
            #expect(api.fake.callCount == Self.expectedCalls.count)
            #expect(
                await !squid.waitForAccessLog(containing: "127.0.0.1:\(api.fake.port)", timeout: .milliseconds(500)))
        }
    }

    @Test func httpProxyFromTheEnvironmentCarriesEveryBotAPICall() async throws {
        let squid = try await SquidProxy()
        defer { squid.stop() }
        let fakePort = try await Self.runInChild(httpProxy: squid.url, noProxy: nil)
        #expect(await squid.waitForAccessLog(containing: "127.0.0.1:\(fakePort)/bot", timeout: .seconds(30)))
        #expect(await squid.waitForAccessLog(containing: "/getUpdates", timeout: .seconds(30)))
        #expect(Self.proxiedCalls(squid, fakePort: fakePort) == Self.expectedCalls)
    }

    @Test func noProxyFromTheEnvironmentBypassesTheProxy() async throws {
        let squid = try await SquidProxy()
        defer { squid.stop() }
        let fakePort = try await Self.runInChild(httpProxy: squid.url, noProxy: "localhost,127.0.0.1")
        #expect(await !squid.waitForAccessLog(containing: "127.0.0.1:\(fakePort)", timeout: .milliseconds(500)))
    }

    /// Runs a fake and the calls in a child process with this proxy environment; returns the
    /// fake's port. The fake lives in the child too: the parent may be blocked waiting for it.
    static func runInChild(httpProxy: String, noProxy: String?) async throws -> Int {
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            [proxy = httpProxy as String, bypass = noProxy as String?] in
            BotAPIProxyTests.setProxyEnvironment(httpProxy: proxy, noProxy: bypass)
            do {
                let fake = try await FakeBotAPIServer.start()
                FileHandle.standardOutput.write(Data("FAKE_PORT=\(fake.port)\n".utf8))
                let configuration = TelegramClientConfiguration(
                    token: BotToken(fake.token), baseURL: fake.baseURL,
                    telegramProxy: nil, requestTimeout: .seconds(30))
                guard configuration.proxy == .environment else { exit(2) }
                try await BotAPIProxyTests.exercise(
                    try TelegramClient(configuration: configuration, logger: Logger(label: "child")))
                guard fake.callCount == BotAPIProxyTests.expectedCalls.count else { exit(3) }
                await fake.stop()
            } catch {
                FileHandle.standardOutput.write(Data("Bot API call failed in the child: \(error)\n".utf8))
                exit(1)
            }
        }
        let output = String(decoding: result?.standardOutputContent ?? [], as: UTF8.self)
        let port = output.split(separator: "\n").first { $0.hasPrefix("FAKE_PORT=") }.flatMap { Int($0.dropFirst(10)) }
        return try #require(port, "child output: \(output)")
    }

    /// In the child: only the proxy variables under test, whatever the parent had.
    static func setProxyEnvironment(httpProxy: String, noProxy: String?) {
        for name in ["http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"] {
            unsetenv(name)
        }
        setenv("http_proxy", httpProxy, 1)
        if let noProxy { setenv("no_proxy", noProxy, 1) }
    }
}
