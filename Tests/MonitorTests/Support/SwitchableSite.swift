import FakeTelegramAPI

/// A site on 127.0.0.1 whose next answers the test decides: a fake Bot API server whose `getMe`
/// answers 200 normally and 503 as many times as the test asks. Being counted, the failures make
/// a down → up cycle exact: N failed checks, then success.
struct SwitchableSite {
    let server: FakeBotAPIServer

    static func start() async throws -> SwitchableSite {
        SwitchableSite(server: try await FakeBotAPIServer.start())
    }

    var url: String { "\(server.baseURL)/bot\(server.token)/getMe" }

    /// The next `count` checks get 503.
    func fail(next count: Int) {
        server.failNext(method: "getMe", count: count, with: .serverError(status: 503))
    }

    /// Checks answered so far.
    var checks: Int { server.calls(method: "getMe").count }

    func stop() async { await server.stop() }
}
