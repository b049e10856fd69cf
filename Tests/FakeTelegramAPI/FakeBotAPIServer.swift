import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A Bot API server for tests and benchmarks, on 127.0.0.1 with an ephemeral port. It speaks the
/// real method names and JSON shapes at `/bot<token>/<method>` (JSON, form and multipart bodies; files
/// through sendDocument, getFile and `/file/bot<token>/<path>`), hands out scripted updates through
/// getUpdates (confirmed ones dropped, the rest re-delivered), records every call, keeps what each
/// chat shows, and fails on demand (`failNext`). Point the bot at `baseURL`.
///
/// Use `withFakeBotAPIServer { fake in ... }`, or `start()` and `stop()`.
public final class FakeBotAPIServer: Sendable {
    public static let defaultToken = "123456789:AAFakeTokenForTestsOnly-0123456789abc"

    /// The token requests must carry; any other answers 401.
    public let token: String
    /// Who the bot is (getMe): its id is the token's digits.
    public let botUser: FakeUser
    let state: Mutex<FakeState>
    private let lifecycle = Mutex(Lifecycle())

    private struct Lifecycle {
        var port = 0
        var listener: (any Channel)?
        var stopped = false
        /// Open client connections, closed by `stop()`.
        var connections: [ObjectIdentifier: any Channel] = [:]
        /// Answers being waited for in tasks (held polls, delays); `stop()` lets them finish.
        var lateReplies = 0
    }

    private init(token: String, firstUpdateID: Int64) {
        self.token = token
        let botID = token.split(separator: ":").first.flatMap { Int64($0) } ?? 1
        self.botUser = FakeUser(
            id: botID, firstName: "UptimeBot (fake)", username: "uptime_fake_bot", languageCode: nil)
        self.state = Mutex(FakeState(firstUpdateID: firstUpdateID))
    }

    /// Starts a server and returns once it accepts connections.
    public static func start(
        token: String = defaultToken, firstUpdateID: Int64 = 1
    ) async throws -> FakeBotAPIServer {
        let server = FakeBotAPIServer(token: token, firstUpdateID: firstUpdateID)
        let listener: any Channel
        do {
            listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.backlog, value: 512)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { [weak server] channel in
                    channel.eventLoop.makeCompletedFuture {
                        guard let server else { throw FakeBotAPIError.couldNotStart("the fake is gone") }
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(FakeHTTPConnection(server: server))
                        server.opened(channel)
                    }
                }
                .bind(host: "127.0.0.1", port: 0)
                .get()
        } catch {
            throw FakeBotAPIError.couldNotStart("\(error)")
        }
        guard let port = listener.localAddress?.port else {
            try? await listener.close()
            throw FakeBotAPIError.couldNotStart("no local port")
        }
        server.lifecycle.withLock {
            $0.port = port
            $0.listener = listener
        }
        return server
    }

    /// Stops accepting requests; a long poll in progress answers at once with no updates, and then
    /// every connection is closed.
    public func stop() async {
        let listener = lifecycle.withLock { lifecycle -> (any Channel)? in
            lifecycle.stopped = true
            defer { lifecycle.listener = nil }
            return lifecycle.listener
        }
        try? await listener?.close()
        wakePoll(with: .timeout)
        // Answers already being waited for go out first (a delayed one may take its delay).
        let deadline = ContinuousClock.now + .seconds(5)
        while lifecycle.withLock({ $0.lateReplies }) > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        for connection in lifecycle.withLock({ Array($0.connections.values) }) {
            try? await connection.close()
        }
    }

    private func opened(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        let stopped = lifecycle.withLock { lifecycle -> Bool in
            if !lifecycle.stopped { lifecycle.connections[id] = channel }
            return lifecycle.stopped
        }
        if stopped {
            channel.close(promise: nil)
            return
        }
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.lifecycle.withLock { $0.connections.removeValue(forKey: id) }
        }
    }

    /// Runs an answer that has to wait, counted so `stop()` can let it go out.
    func trackLateReply(_ work: @escaping @Sendable () async -> Void) {
        lifecycle.withLock { $0.lateReplies += 1 }
        Task {
            await work()
            lifecycle.withLock { $0.lateReplies -= 1 }
        }
    }

    public var port: Int { lifecycle.withLock { $0.port } }

    /// What `TELEGRAM_API_URL` should be: "http://127.0.0.1:<port>".
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    var isStopped: Bool { lifecycle.withLock { $0.stopped } }

    // MARK: faults

    /// The next `count` requests of `method` (nil: of any method but getUpdates) answer `failure`.
    public func failNext(method: String? = nil, count: Int = 1, with failure: FakeFailure) {
        state.withLock { $0.failures.append(FailureRule(method: method, remaining: count, failure: failure)) }
    }

    /// Forgets the failures still to come (of `method`, or of every method): a site switched back on.
    public func clearFailures(method: String? = nil) {
        state.withLock { state in state.failures.removeAll { method == nil || $0.method == method } }
    }

    /// A webhook left set (by another deployment, or by hand): getUpdates answers 409 until deleteWebhook.
    public func setWebhook(_ url: String) {
        state.withLock { $0.webhookURL = url }
    }

    public var webhookURL: String { state.withLock { $0.webhookURL } }

    /// Every request waits this long before it is answered: a slow Telegram.
    public func setResponseDelay(_ delay: Duration) {
        state.withLock { $0.responseDelay = delay }
    }

    /// Sends to this user's chat answer 403 "bot was blocked by the user" from now on.
    public func block(by user: FakeUser, _ blocked: Bool = true) {
        state.withLock { state in
            var chat = state.chat(user.chatID)
            chat.blocked = blocked
            state.chats[user.chatID] = chat
        }
    }

    /// Called, off the fake's lock, with each call once answered: the benchmark measures with it.
    public func observeCalls(_ observer: (@Sendable (RecordedCall) -> Void)?) {
        state.withLock { $0.callObserver = observer }
    }

    // MARK: inspection

    /// Every call so far, in the order they were answered.
    public var calls: [RecordedCall] { state.withLock { $0.calls } }

    /// Calls so far, cleared ones included: the `after:` of a later `waitForCall`.
    public var callCount: Int { state.withLock { $0.callIndexBase + $0.calls.count } }

    public func calls(method: String) -> [RecordedCall] {
        state.withLock { $0.calls.filter { $0.method == method } }
    }

    /// Forgets recorded calls (a long benchmark would keep them all).
    public func clearCalls() {
        state.withLock { state in
            state.callIndexBase += state.calls.count
            state.calls.removeAll(keepingCapacity: true)
        }
    }

    /// The bot's messages in a chat as the user sees them now (deleted ones left out).
    public func messages(in chat: Int64) -> [FakeMessage] {
        state.withLock { $0.chats[chat]?.messages.filter { $0.fromBot && !$0.isDeleted } ?? [] }
    }

    /// Every message of the chat, the user's too, deleted ones included.
    public func history(of chat: Int64) -> [FakeMessage] {
        state.withLock { $0.chats[chat]?.messages ?? [] }
    }

    /// The last message the bot sent (or edited) that is still there.
    public func lastMessage(in chat: Int64) -> FakeMessage? {
        state.withLock { $0.chats[chat]?.messages.last { $0.fromBot && !$0.isDeleted } }
    }

    /// The custom reply keyboard the user has now (`{"keyboard": [[...]], ...}`), nil when none.
    public func replyKeyboard(in chat: Int64) -> JSONValue? {
        state.withLock { $0.chats[chat]?.replyKeyboard }
    }

    /// The commands set for a language (nil: the default list) and scope type ("default").
    public func commands(languageCode: String? = nil, scope: String = "default") -> [(
        command: String, description: String
    )] {
        let list = state.withLock { $0.commands[Self.commandsKey(scope: scope, languageCode: languageCode)] }
        return (list?.arrayValue ?? []).map { ($0["command"]?.stringValue ?? "", $0["description"]?.stringValue ?? "") }
    }

    /// Whether the bot answered this callback query.
    public func isAnswered(callbackQueryID: String) -> Bool {
        state.withLock { $0.callbackQueries[callbackQueryID] ?? false }
    }

    /// Scripted updates not yet confirmed by a getUpdates offset.
    public var unconfirmedUpdateCount: Int { state.withLock { $0.pending.count } }

    /// The highest getUpdates offset seen: every update below it is confirmed.
    public var confirmedOffset: Int64 { state.withLock { $0.confirmedOffset } }

    static func commandsKey(scope: String, languageCode: String?) -> String {
        "\(scope)|\(languageCode ?? "")"
    }
}

/// Runs `body` with a started fake and stops it afterwards, whatever happens.
public func withFakeBotAPIServer<T: Sendable>(
    token: String = FakeBotAPIServer.defaultToken,
    _ body: (FakeBotAPIServer) async throws -> T
) async throws -> T {
    let server = try await FakeBotAPIServer.start(token: token)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}
