import Synchronization

/// Awaiting what the bot does, without polling loops: a waiter is checked whenever the fake's
/// state changes (for its chat, or at all) and resumed once satisfied, or at its timeout.
///
/// The timeouts only end a test that is already failing, so they are generous: on a loaded CI
/// machine (two cores, hundreds of tests at once) a round trip can take seconds.
extension FakeBotAPIServer {
    public static let defaultWaitTimeout: Duration = .seconds(30)

    /// Waits until the bot has sent at least `count` messages into the chat (deleted ones count;
    /// edits do not), and returns the chat's current bot messages.
    @discardableResult
    public func waitForMessages(chat: Int64, count: Int, timeout: Duration = defaultWaitTimeout) async throws
        -> [FakeMessage]
    {
        try await wait(
            chat: chat, timeout: timeout,
            what: {
                "\(count) bot messages in chat \(chat); have: \($0.chats[chat]?.messages.filter(\.fromBot).map(\.text) ?? [])"
            }
        ) { state -> [FakeMessage]? in
            let sent = state.chats[chat]?.messages.filter(\.fromBot) ?? []
            return sent.count >= count ? sent.filter { !$0.isDeleted } : nil
        }
    }

    /// Waits for a call of `method` with index ≥ `after` (see `callCount`) that satisfies `matching`.
    @discardableResult
    public func waitForCall(
        method: String, after: Int = 0, timeout: Duration = defaultWaitTimeout,
        where matching: @escaping @Sendable (RecordedCall) -> Bool = { _ in true }
    ) async throws -> RecordedCall {
        try await wait(
            chat: nil, timeout: timeout,
            what: { state in
                "a \(method) call after #\(after); calls seen: \(state.calls.suffix(10).map { "\($0.method)→\($0.status)" })"
            }
        ) { state -> RecordedCall? in
            let start = max(0, after - state.callIndexBase)
            guard start < state.calls.count else { return nil }
            return state.calls[start...].first { $0.method == method && matching($0) }
        }
    }

    /// Waits until a getUpdates offset has confirmed the update: the bot accepted it.
    public func waitUntilConfirmed(updateID: Int64, timeout: Duration = defaultWaitTimeout) async throws {
        _ = try await wait(
            chat: nil, timeout: timeout,
            what: {
                "confirmation of update \(updateID); confirmed below \($0.confirmedOffset)"
            }
        ) { state -> Bool? in
            state.confirmedOffset > updateID ? true : nil
        }
    }

    /// Waits until a getUpdates is held open, waiting for updates: the bot is idle and listening.
    public func waitForHeldPoll(timeout: Duration = defaultWaitTimeout) async throws {
        _ = try await wait(chat: nil, timeout: timeout, what: { _ in "a held getUpdates" }) { state -> Bool? in
            state.pollWaiter != nil ? true : nil
        }
    }

    /// Registers a waiter, checks it at once, and gives up at `timeout` with a description of
    /// what was seen instead.
    func wait<T: Sendable>(
        chat: Int64?, timeout: Duration, what: @escaping @Sendable (FakeState) -> String,
        check: @escaping @Sendable (FakeState) -> T?
    ) async throws -> T {
        let erased: @Sendable (FakeState) -> (any Sendable)? = { check($0) }
        let idBox = WaiterID()
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled, let self, let id = idBox.value else { return }
            let waiter = self.state.withLock { $0.removeWaiter(id: id, chat: chat) }
            waiter?.continuation.resume(returning: nil)
        }
        defer { timer.cancel() }
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<(any Sendable)?, Never>) in
            let immediate = state.withLock { state -> (any Sendable)? in
                if let result = erased(state) { return result }
                idBox.value = state.addWaiter(chat: chat, FakeState.Waiter(check: erased, continuation: continuation))
                return nil
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
        if let result = result as? T { return result }
        throw FakeBotAPIError.timeout(state.withLock { what($0) })
    }
}

/// The waiter's id, set under the fake's lock once registered, read by its timer.
private final class WaiterID: Sendable {
    private let storage = Mutex<UInt64?>(nil)
    var value: UInt64? {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
