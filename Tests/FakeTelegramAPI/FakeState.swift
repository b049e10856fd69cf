/// Everything the fake knows, behind one `Mutex` in `FakeBotAPIServer`. Mutations are plain
/// in-memory work (no I/O, no awaiting while locked); continuations found here are resumed by
/// the caller after the lock is released.
struct FakeState: Sendable {
    struct Chat: Sendable {
        /// Every message, user's and bot's; message ids are 1, 2, 3... per chat, as in private chats.
        var messages: [FakeMessage] = []
        /// The custom keyboard the user currently sees (a `keyboard` markup), nil once removed.
        var replyKeyboard: JSONValue?
        /// The user blocked the bot: every send answers 403.
        var blocked = false

        var nextMessageID: Int { messages.count + 1 }

        func message(_ id: Int) -> FakeMessage? {
            messages.indices.contains(id - 1) ? messages[id - 1] : nil
        }
    }

    enum PollWake: Sendable {
        case newUpdates
        case timeout
        case conflict
        case ready([JSONValue])
    }

    struct PollWaiter: Sendable {
        var id: UInt64
        var continuation: CheckedContinuation<PollWake, Never>
        var timer: Task<Void, Never>?
    }

    struct Waiter: Sendable {
        var check: @Sendable (FakeState) -> (any Sendable)?
        var continuation: CheckedContinuation<(any Sendable)?, Never>
    }

    // Updates: scripted ones wait in `pending` until a getUpdates offset confirms them.
    var nextUpdateID: Int64
    var pending: [(id: Int64, update: JSONValue)] = []
    /// The highest offset any getUpdates sent: every update below it is confirmed.
    var confirmedOffset: Int64 = 0
    var pollWaiter: PollWaiter?
    /// Set by setWebhook: getUpdates is refused (409) while there is one.
    var webhookURL = ""

    var chats: [Int64: Chat] = [:]
    var users: [Int64: FakeUser] = [:]
    /// Callback query id → answered yet.
    var callbackQueries: [String: Bool] = [:]
    var nextCallbackQuery = 1
    /// "<scope>|<language>" → the commands set with setMyCommands.
    var commands: [String: JSONValue] = [:]

    /// Every file, uploaded by the bot or sent by a scripted user, by file_id.
    var files: [String: FakeFile] = [:]
    var nextFile = 1

    var calls: [RecordedCall] = []
    /// `RecordedCall.index` of `calls[0]`: indexes keep counting across `clearCalls`.
    var callIndexBase = 0
    var failures: [FailureRule] = []
    var responseDelay: Duration = .zero
    var callObserver: (@Sendable (RecordedCall) -> Void)?

    var nextWaiterID: UInt64 = 1
    /// Waiters for a chat are checked when that chat changes; the others on every change.
    var chatWaiters: [Int64: [UInt64: Waiter]] = [:]
    var globalWaiters: [UInt64: Waiter] = [:]

    init(firstUpdateID: Int64) {
        nextUpdateID = firstUpdateID
    }

    // MARK: updates

    /// Queues an update; returns its id and the long poll to wake.
    mutating func enqueue(_ makeUpdate: (Int64) -> JSONValue) -> (Int64, PollWaiter?) {
        let id = nextUpdateID
        nextUpdateID += 1
        pending.append((id, makeUpdate(id)))
        let waiter = pollWaiter
        pollWaiter = nil
        return (id, waiter)
    }

    /// Drops every update below `offset`, as Telegram forgets confirmed updates.
    mutating func confirm(offset: Int64?) {
        guard let offset, offset > confirmedOffset else { return }
        confirmedOffset = offset
        let drop = pending.prefix { $0.id < offset }.count
        if drop > 0 { pending.removeFirst(drop) }
    }

    func batch(limit: Int) -> [JSONValue] {
        pending.prefix(limit).map(\.update)
    }

    // MARK: messages

    mutating func chat(_ id: Int64) -> Chat {
        chats[id] ?? Chat()
    }

    /// Appends a message to its chat and returns it with its new id.
    mutating func append(_ message: FakeMessage) -> FakeMessage {
        var message = message
        message.messageID = chats[message.chatID]?.nextMessageID ?? 1
        // Appended in place: a copy of the chat would copy its whole history on every message.
        chats[message.chatID, default: Chat()].messages.append(message)
        return message
    }

    mutating func update(_ message: FakeMessage) {
        chats[message.chatID]?.messages[message.messageID - 1] = message
    }

    // MARK: waiting

    mutating func addWaiter(chat: Int64?, _ waiter: Waiter) -> UInt64 {
        let id = nextWaiterID
        nextWaiterID += 1
        if let chat {
            chatWaiters[chat, default: [:]][id] = waiter
        } else {
            globalWaiters[id] = waiter
        }
        return id
    }

    mutating func removeWaiter(id: UInt64, chat: Int64?) -> Waiter? {
        guard let chat else { return globalWaiters.removeValue(forKey: id) }
        let waiter = chatWaiters[chat]?.removeValue(forKey: id)
        if chatWaiters[chat]?.isEmpty == true { chatWaiters[chat] = nil }
        return waiter
    }

    /// Waiters satisfied after a change in `chat` (nil: no particular chat), removed, with their results.
    mutating func satisfiedWaiters(chat: Int64?) -> [(CheckedContinuation<(any Sendable)?, Never>, any Sendable)] {
        var ready: [(CheckedContinuation<(any Sendable)?, Never>, any Sendable)] = []
        if let chat, let waiters = chatWaiters[chat] {
            for (id, waiter) in waiters {
                if let result = waiter.check(self) {
                    ready.append((waiter.continuation, result))
                    chatWaiters[chat]?[id] = nil
                }
            }
            if chatWaiters[chat]?.isEmpty == true { chatWaiters[chat] = nil }
        }
        for (id, waiter) in globalWaiters {
            if let result = waiter.check(self) {
                ready.append((waiter.continuation, result))
                globalWaiters[id] = nil
            }
        }
        return ready
    }
}
