import KeyedSerialization
import Logging

/// Who is waiting for a send: a person who just pressed a button, or an owner's alert among
/// thousands. Both share one rate limiter; replies always go first.
public enum SendPriority: Sendable {
    case reply, bulk
}

/// The Bot API as a good citizen uses it: calls that write into a chat are ordered per chat and
/// paced by `SendRateLimits` (replies ahead of bulk sends, see `bulkSender`); 429 waits `retry_after` and repeats; 5xx and network failures repeat
/// with backoff; everything else fails at once (403 → the caller marks the user unreachable,
/// 400 → logged with the method, a bug to fix, never repeated).
///
/// Repeating after a timeout can deliver a message twice when the first attempt did arrive and
/// only its answer was lost; Telegram has no idempotency key, so that is the price of not losing it.
public final class TelegramSender: BotAPI {
    public let client: TelegramClient
    public let retry: RetryPolicy
    public let priority: SendPriority
    private let limiter: SendRateLimiter
    /// First come, first served, one call at a time per chat: a message that waits for a rate-limit
    /// slot keeps the messages after it waiting, so a chat never sees them out of order. Shared with
    /// the bulk sender.
    private let order: KeyedSerialQueue<Int64>
    private let logger: Logger

    public init(
        client: TelegramClient, limits: SendRateLimits = .telegramDefaults, retry: RetryPolicy = .default,
        logger: Logger
    ) {
        self.client = client
        self.retry = retry
        self.priority = .reply
        self.limiter = SendRateLimiter(limits: limits)
        self.order = KeyedSerialQueue()
        self.logger = logger
    }

    private init(sharing other: TelegramSender, priority: SendPriority, retry: RetryPolicy) {
        client = other.client
        self.retry = retry
        self.priority = priority
        limiter = other.limiter
        order = other.order
        logger = other.logger
    }

    /// The same client, limits and per-chat order for the alert fan-out: sends only on tokens free
    /// now (a reply never waits behind an alert) and never repeats inside the call (`RetryPolicy.never`
    /// by default): the outbox reschedules a failed message itself, so one throttled chat waits alone.
    public func bulkSender(retry: RetryPolicy = .never) -> TelegramSender {
        TelegramSender(sharing: self, priority: .bulk, retry: retry)
    }

    public var limits: SendRateLimits { limiter.limits }

    public func call<M: BotMethod>(_ method: M) async throws(TelegramError) -> M.Result {
        guard let chat = method.targetChatID else {
            return try await perform(method, chat: nil)
        }
        await order.acquire(chat)
        defer { order.release(chat) }
        return try await perform(method, chat: chat)
    }

    /// Downloads are not written into a chat, so neither ordered nor paced; a user waits on the
    /// one in flight, so it is not repeated either (they send the file again).
    public func downloadFile(path: String, maxBytes: Int) async throws(TelegramError) -> [UInt8] {
        do throws(TelegramError) {
            return try await client.downloadFile(path: path, maxBytes: maxBytes)
        } catch {
            log(error, chat: nil)
            throw error
        }
    }

    /// Chats with a call in flight or queued (the ordering state kept; zero when idle).
    public var chatsInFlight: Int { order.activeKeys }

    private func perform<M: BotMethod>(_ method: M, chat: Int64?) async throws(TelegramError) -> M.Result {
        var failures = 0
        var rateLimitWaits = 0
        while true {
            if let chat, priority == .bulk {
                while let wait = limiter.takeIfFree(chat: chat) { try await pause(wait, method: M.name) }
            } else if let chat {
                try await pause(limiter.reserve(chat: chat), method: M.name)
            } else if Task.isCancelled {
                throw .cancelled(method: M.name)
            }
            do throws(TelegramError) {
                return try await client.call(method)
            } catch let .tooManyRequests(name, retryAfter) {
                let wait = Duration.seconds(retryAfter)
                // Whoever repeats (this call or the outbox), nothing else goes to the chat meanwhile.
                if let chat { limiter.block(chat: chat, until: .now + wait) }
                guard rateLimitWaits < retry.maxRateLimitWaits, wait <= retry.maxRetryAfter else {
                    logger.warning(
                        "Bot API flood limit: giving up",
                        metadata: metadata(name, chat, ["retry_after": "\(retryAfter)"]))
                    throw .tooManyRequests(method: name, retryAfter: retryAfter)
                }
                rateLimitWaits += 1
                logger.notice(
                    "Bot API flood limit: waiting retry_after",
                    metadata: metadata(name, chat, ["retry_after": "\(retryAfter)"]))
                client.metrics.recordRetry(method: name, reason: "too_many_requests")
                try await pause(wait, method: name)
            } catch  where error.isTransient {
                failures += 1
                guard failures < retry.maxAttempts else {
                    logger.error(
                        "Bot API call failed after retries",
                        metadata: metadata(M.name, chat, ["attempts": "\(failures)", "error": "\(error)"]))
                    throw error
                }
                let wait = retry.backoff(afterAttempt: failures)
                logger.warning(
                    "Bot API call failed, retrying",
                    metadata: metadata(
                        M.name, chat,
                        [
                            "attempt": "\(failures)", "backoff_ms": "\(wait.milliseconds)", "error": "\(error)",
                        ]))
                client.metrics.recordRetry(method: M.name, reason: error.kind)
                try await pause(wait, method: M.name)
            } catch {
                log(error, chat: chat)
                throw error
            }
        }
    }

    private func log(_ error: TelegramError, chat: Int64?) {
        switch error {
        case .messageNotModified, .messageToEditNotFound, .cancelled, .fileTooLarge:
            break  // expected outcomes the caller handles
        case .forbidden:
            logger.info(
                "Bot API: the user blocked the bot or is gone",
                metadata: metadata(error.method, chat, ["error": "\(error)"]))
        case .badRequest:
            logger.error(
                "Bot API refused the request (a bug: fix the call)",
                metadata: metadata(error.method, chat, ["error": "\(error)"]))
        default:
            logger.warning("Bot API call failed", metadata: metadata(error.method, chat, ["error": "\(error)"]))
        }
    }

    private func pause(_ duration: Duration, method: String) async throws(TelegramError) {
        do {
            if duration > .zero {
                try await Task.sleep(for: duration)
            } else {
                try Task.checkCancellation()
            }
        } catch {
            throw .cancelled(method: method)
        }
    }

    private func metadata(_ method: String, _ chat: Int64?, _ extra: Logger.Metadata = [:]) -> Logger.Metadata {
        var result = extra
        result["method"] = "\(method)"
        if let chat { result["chat_id"] = "\(chat)" }
        return result
    }
}
