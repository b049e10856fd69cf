import Hummingbird
import Logging
import Synchronization

/// A Bot API server for tests and benchmarks, on 127.0.0.1 with an ephemeral port. It speaks the
/// real method names and JSON shapes at `/bot<token>/<method>`, hands out scripted updates through
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
    private let lifecycle = Mutex<(port: Int, task: Task<Void, any Error>?, stopped: Bool)>((0, nil, false))
    let logger: Logger

    private init(token: String, firstUpdateID: Int64, logger: Logger) {
        self.token = token
        let botID = token.split(separator: ":").first.flatMap { Int64($0) } ?? 1
        self.botUser = FakeUser(id: botID, firstName: "UptimeBot (fake)", username: "uptime_fake_bot", languageCode: nil)
        self.state = Mutex(FakeState(firstUpdateID: firstUpdateID))
        self.logger = logger
    }

    /// Starts a server and returns once it accepts connections.
    public static func start(
        token: String = defaultToken, firstUpdateID: Int64 = 1, logger: Logger = Logger(label: "FakeBotAPI", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> FakeBotAPIServer {
        let server = FakeBotAPIServer(token: token, firstUpdateID: firstUpdateID, logger: logger)
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let responder = CallbackResponder<BasicRequestContext> { [weak server] request, _ in
            guard let server else { return Response(status: .serviceUnavailable) }
            return try await server.respond(to: request)
        }
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        let task = Task {
            defer { portContinuation.finish() }
            try await app.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            let reason: String
            do {
                try await task.value
                reason = "the server stopped at once"
            } catch {
                reason = "\(error)"
            }
            throw FakeBotAPIError.couldNotStart(reason)
        }
        server.lifecycle.withLock { $0 = (port, task, false) }
        return server
    }

    /// Stops accepting requests; a long poll in progress answers at once with no updates.
    public func stop() async {
        let task = lifecycle.withLock { lifecycle -> Task<Void, any Error>? in
            lifecycle.stopped = true
            defer { lifecycle.task = nil }
            return lifecycle.task
        }
        wakePoll(with: .timeout)
        task?.cancel()
        _ = try? await task?.value
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
        messages(in: chat).last
    }

    /// The custom reply keyboard the user has now (`{"keyboard": [[...]], ...}`), nil when none.
    public func replyKeyboard(in chat: Int64) -> JSONValue? {
        state.withLock { $0.chats[chat]?.replyKeyboard }
    }

    /// The commands set for a language (nil: the default list) and scope type ("default").
    public func commands(languageCode: String? = nil, scope: String = "default") -> [(command: String, description: String)] {
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
