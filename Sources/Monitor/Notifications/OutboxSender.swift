import BSON
import Foundation
import HumanFormatting
import Logging
import ServiceLifecycle
import Storage
import TelegramAPI

public struct OutboxSenderConfiguration: Sendable {
    /// How often the outbox is looked at.
    public var pollInterval: Duration
    /// Due messages taken per look.
    public var batchSize: Int
    /// Chats served at once (one chat's messages always go in order).
    public var concurrentChats: Int
    /// Wait after a failed delivery: doubles with every attempt, up to `maxRetryDelay`.
    public var retryDelay: Duration
    public var maxRetryDelay: Duration
    /// Alerts of one chat sent as one message at most (more go in further messages).
    public var maxGroupSize: Int
    /// Characters per message; Telegram allows 4096 after markup, so this leaves room.
    public var maxMessageLength: Int

    public init(
        pollInterval: Duration = .seconds(1), batchSize: Int = 100, concurrentChats: Int = 8,
        retryDelay: Duration = .seconds(5),
        maxRetryDelay: Duration = .seconds(600), maxGroupSize: Int = 50, maxMessageLength: Int = 3800
    ) {
        self.pollInterval = pollInterval
        self.batchSize = max(1, batchSize)
        self.concurrentChats = max(1, concurrentChats)
        self.retryDelay = retryDelay
        self.maxRetryDelay = maxRetryDelay
        self.maxGroupSize = max(1, maxGroupSize)
        self.maxMessageLength = max(200, maxMessageLength)
    }
}

/// Delivers the outbox through the Bot API. A message is marked sent right after Telegram took it
/// and never sent again (a mark that could not be written is remembered until it can). 429, 5xx
/// and network failures are retried later with backoff; 403 (the user blocked the bot) marks the
/// user unreachable and gives up on their messages. Muted users get no alerts.
///
/// Alerts of one chat that are pending together — the monitor holds each back for the grouping
/// window — go out as one message.
public actor OutboxSender: Service {
    private let repositories: Repositories
    private let api: any BotAPI
    private let configuration: OutboxSenderConfiguration
    private let logger: Logger
    private let metrics = OutboxMetrics()
    /// Delivered, but the mark did not reach storage yet: never sent again meanwhile.
    private var sentNotMarked: [ObjectId: Date] = [:]
    private var storageFailing = false

    public init(
        repositories: Repositories, api: any BotAPI,
        configuration: OutboxSenderConfiguration = OutboxSenderConfiguration(), logger: Logger
    ) {
        self.repositories = repositories
        self.api = api
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        let interval = configuration.pollInterval
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            await sendDue(now: Date())
            // Only the pause gives way to a graceful shutdown: a message on its way is finished and
            // marked, so the next start does not send it again.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// One look at the outbox: delivers what is due; returns the messages marked sent.
    @discardableResult
    func sendDue(now: Date) async -> Int {
        await markRemembered()
        let due: [OutboxMessage]
        do {
            due = try await repositories.outbox.due(now: now, limit: configuration.batchSize)
            metrics.recordDepth(try await repositories.outbox.pendingCount())
            if storageFailing { logger.notice("outbox readable again") }
            storageFailing = false
        } catch {
            if Task.isCancelled { return 0 }
            if !storageFailing { logger.error("cannot read the outbox; retrying", metadata: ["error": "\(error)"]) }
            storageFailing = true
            return 0
        }
        var chats: [Int64: [OutboxMessage]] = [:]
        var order: [Int64] = []
        for message in due where sentNotMarked[message.id] == nil {
            if chats[message.chatID] == nil { order.append(message.chatID) }
            chats[message.chatID, default: []].append(message)
        }
        let limit = configuration.concurrentChats
        return await withTaskGroup(of: Int.self) { group in
            var running = 0
            var delivered = 0
            for chat in order {
                if running == limit {
                    delivered += await group.next() ?? 0
                    running -= 1
                }
                let messages = chats[chat] ?? []
                group.addTask { await self.deliver(chat: chat, due: messages, now: now) }
                running += 1
            }
            for await count in group { delivered += count }
            return delivered
        }
    }

    /// Sends one chat's due messages, in order; its alerts pending together go as one message.
    private func deliver(chat: Int64, due: [OutboxMessage], now: Date) async -> Int {
        let user: UserRecord?
        do {
            user = try await repositories.users.get(chat)
        } catch {
            return 0  // storage is down: nothing is sent that could not be marked
        }
        if user?.unreachable == true {
            await giveUp(due, reason: "the user blocked the bot (unreachable)")
            return 0
        }
        let muted = user?.settings.isMuted(at: now) ?? false
        let language = Language(code: user?.language)
        var alerts = due.filter { AlertComposer.transition(ofKey: $0.dedupeKey) != nil }
        let others = due.filter { AlertComposer.transition(ofKey: $0.dedupeKey) == nil }
        if muted, !alerts.isEmpty {
            await giveUp(alerts, reason: "the user muted alerts")
            alerts = []
        }
        if !alerts.isEmpty {
            // Alerts not yet due but already waiting join the group: that is what the window is for.
            let waiting =
                (try? await repositories.outbox.pending(chatID: chat, limit: configuration.maxGroupSize)) ?? []
            let known = Set(alerts.map(\.id))
            alerts += waiting.filter {
                !known.contains($0.id) && sentNotMarked[$0.id] == nil
                    && AlertComposer.transition(ofKey: $0.dedupeKey) != nil
            }
            alerts.sort { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        }
        var delivered = 0
        var parts = OutboxGrouping.messages(
            alerts, header: NotificationTexts(language: language).groupHeader(count:),
            maxLength: configuration.maxMessageLength)
        parts += others.map { OutboxGrouping.Part(text: $0.text, messages: [$0]) }
        for (index, part) in parts.enumerated() {
            switch await send(part, chat: chat, now: now) {
            case .sent:
                delivered += part.messages.count
            case .skip:
                continue
            case .blocked:
                await giveUp(parts[(index + 1)...].flatMap(\.messages), reason: "the user blocked the bot (403)")
                return delivered
            case .later:
                // Keep the chat's order: what follows waits for the same retry.
                for rest in parts[(index + 1)...] {
                    await retryLater(rest.messages, error: "waiting for an earlier message", now: now)
                }
                return delivered
            case .stopped:
                return delivered
            }
        }
        return delivered
    }

    private enum Outcome { case sent, skip, blocked, later, stopped }

    private func send(_ part: OutboxGrouping.Part, chat: Int64, now: Date) async -> Outcome {
        do throws(TelegramError) {
            try await api.sendMessageDiscardingResult(chatID: chat, text: part.text)
        } catch .cancelled {
            return .stopped
        } catch .forbidden(_, let description) {
            logger.info("user blocked the bot; marking unreachable", metadata: ["chat_id": "\(chat)"])
            do { try await repositories.users.setUnreachable(chat, true) } catch {
                logger.warning(
                    "cannot mark the user unreachable", metadata: ["chat_id": "\(chat)", "error": "\(error)"])
            }
            await giveUp(part.messages, reason: "forbidden: \(description)")
            return .blocked
        } catch let error where Self.isFinal(error) {
            logger.error(
                "Telegram refused a notification; dropping it", metadata: ["chat_id": "\(chat)", "error": "\(error)"])
            await giveUp(part.messages, reason: error.description)
            return .skip
        } catch .tooManyRequests(_, let retryAfter) {
            await retryLater(
                part.messages, error: "429: retry after \(retryAfter) s", now: now, notSooner: TimeInterval(retryAfter))
            return .later
        } catch {
            await retryLater(part.messages, error: error.description, now: now)
            return .later
        }
        let sentAt = Date()
        for message in part.messages {
            do {
                try await repositories.outbox.markSent(message.id, at: sentAt)
            } catch {
                sentNotMarked[message.id] = sentAt
            }
            if let transition = AlertComposer.transition(ofKey: message.dedupeKey) {
                metrics.recordAlertSent(transition: transition)
            }
        }
        return .sent
    }

    /// Failures that repeating cannot fix: a malformed message, a chat that does not exist.
    private static func isFinal(_ error: TelegramError) -> Bool {
        switch error {
        case .badRequest, .chatMigrated, .messageNotModified, .messageToEditNotFound: true
        default: false
        }
    }

    /// Reschedules after a failure: the backoff for the message's attempts, and never sooner than
    /// Telegram asked (429's retry_after).
    private func retryLater(_ messages: [OutboxMessage], error: String, now: Date, notSooner: TimeInterval = 0) async {
        for message in messages {
            let exponent = Double(min(message.attempts, 16))
            let backoff = min(
                configuration.maxRetryDelay.timeInterval, configuration.retryDelay.timeInterval * pow(2, exponent))
            let delay = max(backoff, notSooner)
            do {
                try await repositories.outbox.markFailed(
                    message.id, error: error, retryAt: now.addingTimeInterval(delay), final: false)
            } catch {
                logger.warning("cannot reschedule a notification", metadata: ["error": "\(error)"])
            }
        }
        if let first = messages.first {
            logger.warning(
                "notification not delivered; will retry", metadata: ["chat_id": "\(first.chatID)", "error": "\(error)"])
        }
    }

    private func giveUp(_ messages: [OutboxMessage], reason: String) async {
        for message in messages {
            do {
                try await repositories.outbox.markFailed(message.id, error: reason, retryAt: nil, final: true)
            } catch {
                logger.warning("cannot mark a notification as given up", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Writes the sent marks that storage refused before.
    private func markRemembered() async {
        for (id, at) in sentNotMarked {
            do {
                try await repositories.outbox.markSent(id, at: at)
                sentNotMarked[id] = nil
            } catch {
                return
            }
        }
    }
}
