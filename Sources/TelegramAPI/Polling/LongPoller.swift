import Foundation
import Logging
import Synchronization

/// Loops getUpdates and hands each update, in order, to a handler. An update is confirmed to
/// Telegram (by the next getUpdates' `offset`) only after the handler returned for it, so a crash
/// re-delivers what was not yet accepted and nothing is skipped; updates below the offset are
/// never handed out twice. The offset lives in memory only: Telegram keeps unconfirmed updates
/// for the next poller (24 hours), which is all a restart needs.
public final class LongPoller: Sendable {
    private struct State {
        var lastSuccessfulPoll: Date?
        var nextOffset: Int64?
        /// The offset Telegram last saw: updates below it are gone from its queue.
        var confirmedOffset: Int64?
    }

    public let configuration: LongPollingConfiguration
    private let client: TelegramClient
    private let logger: Logger
    private let state = Mutex(State())

    public init(client: TelegramClient, configuration: LongPollingConfiguration = .init(), logger: Logger) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
    }

    /// When getUpdates last answered (with or without updates): the health endpoint's sign that
    /// the bot still hears Telegram. Nil before the first answer.
    public var lastSuccessfulPoll: Date? { state.withLock { $0.lastSuccessfulPoll } }

    /// The id the next update must have at least: the last accepted update's id + 1.
    public var nextOffset: Int64? { state.withLock { $0.nextOffset } }

    /// Polls until the task is cancelled (returns normally) or `handle` throws (rethrown, that
    /// update left unconfirmed). `handle` accepting an update means it is handled or safely
    /// queued: keep it short, since the next update waits for it. Before returning, the updates
    /// already accepted are confirmed to Telegram, so a clean restart does not see them again.
    /// Throws `TelegramError.unauthorized`/`.notFound` at once: a wrong token or URL never heals.
    public func run(_ handle: (Update) async throws -> Void) async throws {
        try await poll { updates in
            for update in updates {
                if Task.isCancelled { return }
                try await handle(update)
                accept(update)
            }
        }
    }

    /// `run(_:)` one getUpdates answer at a time: `handle` gets the updates not accepted yet, in
    /// order, and accepts all of them by returning (none when it throws).
    public func runBatches(_ handle: ([Update]) async throws -> Void) async throws {
        try await poll { updates in
            try await handle(updates)
            if let last = updates.last { accept(last) }
        }
    }

    /// Polls with `handle`, which accepts what it took; confirms that on the way out.
    private func poll(_ handle: ([Update]) async throws -> Void) async throws {
        do {
            try await pollUntilCancelled(handle)
        } catch {
            await confirmAccepted()
            throw error
        }
        await confirmAccepted()
    }

    private func accept(_ update: Update) {
        state.withLock { $0.nextOffset = update.updateID + 1 }
    }

    private func pollUntilCancelled(_ handle: ([Update]) async throws -> Void) async throws {
        var failures = 0
        while !Task.isCancelled {
            let offset = nextOffset
            let updates: [Update]
            do throws(TelegramError) {
                updates = try await client.call(
                    GetUpdates(
                        offset: offset, limit: configuration.limit, timeout: configuration.timeoutSeconds,
                        allowedUpdates: configuration.allowedUpdates),
                    timeout: configuration.timeout + client.configuration.connectTimeout + .seconds(5)
                )
            } catch {
                if try await !recover(from: error, failures: &failures) { return }
                continue
            }
            failures = 0
            state.withLock {
                $0.confirmedOffset = offset
                $0.lastSuccessfulPoll = Date()
            }
            let fresh = nextOffset.map { offset in updates.filter { $0.updateID >= offset } } ?? updates
            if fresh.isEmpty { continue }
            if Task.isCancelled { return }
            try await handle(fresh)
        }
    }

    /// Decides what a failed poll means: false to stop (cancelled), true to poll again after a
    /// pause; throws for failures that no waiting fixes.
    private func recover(from error: TelegramError, failures: inout Int) async throws -> Bool {
        let wait: Duration
        switch error {
        case .cancelled:
            return false
        case .unauthorized, .notFound:
            logger.critical(
                "getUpdates refused: check the bot token and TELEGRAM_API_URL", metadata: ["error": "\(error)"])
            throw error
        case .tooManyRequests(_, let retryAfter):
            wait = .seconds(retryAfter)
        case .conflict(_, let description) where description.contains("webhook"):
            // A webhook left set (another deployment, a test by hand) stops long polling for good.
            logger.warning(
                "a webhook is set for this bot and stops long polling; deleting it (pending updates are kept)")
            do throws(TelegramError) {
                _ = try await client.call(DeleteWebhook(dropPendingUpdates: false))
                return true
            } catch {
                failures += 1
                wait = configuration.backoff.backoff(afterAttempt: failures)
                logger.error("could not delete the webhook", metadata: ["error": "\(error)"])
            }
        case .conflict:
            failures += 1
            wait = configuration.backoff.backoff(afterAttempt: failures)
            logger.error(
                "getUpdates conflict: another instance polls with this token",
                metadata: ["error": "\(error)"])
        default:
            failures += 1
            wait = configuration.backoff.backoff(afterAttempt: failures)
            logger.warning(
                "getUpdates failed, polling again",
                metadata: [
                    "attempt": "\(failures)", "backoff_ms": "\(wait.milliseconds)", "error": "\(error)",
                ])
        }
        client.metrics.recordRetry(method: GetUpdates.name, reason: error.kind)
        do {
            try await Task.sleep(for: wait)
            return true
        } catch {
            return false
        }
    }

    /// Tells Telegram about updates accepted since the last poll, with a getUpdates that returns
    /// at once. In a task of its own because the poller's task is usually cancelled by now.
    private func confirmAccepted() async {
        let (offset, confirmed) = state.withLock { ($0.nextOffset, $0.confirmedOffset) }
        guard let offset, offset != confirmed else { return }
        let client = self.client
        let logger = self.logger
        let done = await Task { () -> Bool in
            do throws(TelegramError) {
                _ = try await client.call(GetUpdates(offset: offset, limit: 1, timeout: 0), timeout: .seconds(5))
                return true
            } catch {
                logger.warning(
                    "Could not confirm the last updates; they will be delivered again", metadata: ["error": "\(error)"])
                return false
            }
        }.value
        if done { state.withLock { $0.confirmedOffset = offset } }
    }
}
