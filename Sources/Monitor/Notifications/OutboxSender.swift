import BSON
import Cluster
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
    /// Chats served at once, each in a lane of its own (one chat's messages always go in order).
    public var concurrentChats: Int
    /// Wait after a failed delivery: doubles with every attempt, up to `maxRetryDelay`.
    public var retryDelay: Duration
    public var maxRetryDelay: Duration
    /// Alerts of one chat sent as one message at most (more go in further messages).
    public var maxGroupSize: Int
    /// Grouped alerts per message, in UTF-16 units of the visible text (Telegram's measure; it allows
    /// 4096); a longer single alert is sent split as plain text.
    public var maxMessageLength: Int
    /// How long an alert may wait for the owner's other changes on their way (monitors failing but
    /// not yet down, or recovering), to go out with them as one message. A lone change goes at once.
    public var groupingWindow: Duration
    /// How long alerts are kept for an owner who blocked the bot, and how often they are looked at.
    public var awayRetention: Duration
    public var awayRecheck: Duration

    public init(
        pollInterval: Duration = .seconds(1), batchSize: Int = 500, concurrentChats: Int = 32,
        retryDelay: Duration = .seconds(5),
        maxRetryDelay: Duration = .seconds(600), maxGroupSize: Int = 50, maxMessageLength: Int = 3800,
        awayRetention: Duration = .seconds(24 * 3600), awayRecheck: Duration = .seconds(60),
        groupingWindow: Duration = .seconds(30)
    ) {
        self.groupingWindow = groupingWindow
        self.awayRetention = awayRetention
        self.awayRecheck = awayRecheck
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
/// and network failures are retried later with backoff; 403 "blocked by the user" / "user is
/// deactivated" marks the user unreachable and keeps their messages (up to `awayRetention`) for a
/// "while you were away" summary; other 403s and 400s give up that message (logged, counted).
/// Alerts of a muted owner are kept for the summary sent when the mute ends.
///
/// Alerts of one chat that are pending together — the monitor holds each back for the grouping
/// window — go out as one message.
public actor OutboxSender: Service {
    private let repositories: Repositories
    private let api: any BotAPI
    private let configuration: OutboxSenderConfiguration
    private let logger: Logger
    /// The time of day messages are due by (the monitor's, so a test stepping it steps both).
    private let clock: any WallClock
    private let metrics = OutboxMetrics()
    /// Delivered, but the mark did not reach storage yet: never sent again meanwhile.
    private var sentNotMarked: [ObjectId: Date] = [:]
    private var storageFailing = false
    /// Chats with a lane running: their messages are not taken again until it ends.
    private var busyChats: Set<Int64> = []
    /// Messages a lane sent, rescheduled or gave up while the outbox was being read: that read may
    /// still show them pending (a lane ends during the read), so they are not taken from it.
    private var settledDuringRead: Set<ObjectId> = []
    /// In a cluster: the outbox lease. Only its holder sends, and only messages it claimed under
    /// the lease's epoch (nil: one process alone, every message is its own).
    private let lease: LeaseGate?
    /// The claim the latest messages were taken under: their sent marks must match it.
    private var lastClaim: OutboxClaim?

    public init(
        repositories: Repositories, api: any BotAPI,
        configuration: OutboxSenderConfiguration = OutboxSenderConfiguration(), lease: LeaseGate? = nil,
        wallClock: any WallClock = SystemWallClock(), logger: Logger
    ) {
        self.clock = wallClock
        self.lease = lease
        self.repositories = repositories
        self.api = api
        self.configuration = configuration
        self.logger = logger
    }

    /// Polls the outbox and starts a lane for each chat with due messages that has none running.
    /// The loop never waits for a lane: a chat that is slow, throttled or failing holds only itself.
    public func run() async throws {
        let interval = configuration.pollInterval
        await withDiscardingTaskGroup { lanes in
            while !Task.isShuttingDownGracefully, !Task.isCancelled {
                for (chat, messages) in await takeDue(now: clock.now()) {
                    lanes.addTask { await self.runLane(chat: chat, due: messages) }
                }
                // Only the pause gives way to a graceful shutdown: messages on their way are finished
                // and marked (the group waits for the lanes), so the next start does not send them again.
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            }
        }
    }

    /// One look at the outbox: the due messages of chats without a running lane, by chat, at most
    /// `concurrentChats` lanes in all; the chats taken are marked busy.
    private func takeDue(now: Date) async -> [(Int64, [OutboxMessage])] {
        if let lease, !lease.isHeld { return [] }  // another instance delivers the outbox
        await markRemembered()
        settledDuringRead.removeAll()
        let due: [OutboxMessage]
        do {
            due = try await repositories.outbox.due(now: now, limit: configuration.batchSize)
            metrics.recordDepth(try await repositories.outbox.pendingCount())
            if storageFailing { logger.notice("outbox readable again") }
            storageFailing = false
        } catch {
            if Task.isCancelled { return [] }
            if !storageFailing { logger.error("cannot read the outbox; retrying", metadata: ["error": "\(error)"]) }
            storageFailing = true
            return []
        }
        var chats: [Int64: [OutboxMessage]] = [:]
        var order: [Int64] = []
        for message in due
        where sentNotMarked[message.id] == nil && !settledDuringRead.contains(message.id)
            && !busyChats.contains(message.chatID)
        {
            if chats[message.chatID] == nil {
                guard busyChats.count + order.count < configuration.concurrentChats else { continue }
                order.append(message.chatID)
            }
            chats[message.chatID, default: []].append(message)
        }
        let claimed = await claim(order.flatMap { chats[$0] ?? [] }, now: now)
        order = order.filter { chat in chats[chat]?.contains { claimed.contains($0.id) } == true }
        busyChats.formUnion(order)
        return order.map { chat in (chat, (chats[chat] ?? []).filter { claimed.contains($0.id) }) }
    }

    /// The claim messages are sent under now: the outbox lease's holder and epoch.
    private var currentClaim: OutboxClaim? {
        lease?.lease.map { OutboxClaim(holder: $0.holder, epoch: $0.epoch) }
    }

    /// The ids among `messages` this instance may send (all of them outside a cluster).
    private func claim(_ messages: [OutboxMessage], now: Date) async -> Set<ObjectId> {
        guard lease != nil else { return Set(messages.map(\.id)) }
        guard let claim = currentClaim, !messages.isEmpty else { return [] }
        lastClaim = claim
        do {
            return try await repositories.outbox.claim(messages.map(\.id), by: claim, now: now)
        } catch {
            logger.warning("cannot claim outbox messages; trying again", metadata: ["error": "\(error)"])
            return []
        }
    }

    private func runLane(chat: Int64, due: [OutboxMessage]) async {
        _ = await deliver(chat: chat, due: due, now: clock.now())
        busyChats.remove(chat)
    }

    /// Sends one chat's due messages, in order; its alerts pending together go as one message.
    /// Messages kept back for an unreachable or muted owner go out together, under a summary
    /// header, once the owner is back.
    private func deliver(chat: Int64, due: [OutboxMessage], now: Date) async -> Int {
        let user: UserRecord?
        do {
            user = try await repositories.users.get(chat)
        } catch {
            return 0  // storage is down: nothing is sent that could not be marked
        }
        if user?.unreachable == true {
            await holdForUnreachable(due, now: now)
            return 0
        }
        let muted = user?.settings.isMuted(at: now) ?? false
        let language = Language(code: user?.language)
        let texts = NotificationTexts(language: language)
        var alerts = due.filter { AlertComposer.transition(ofKey: $0.dedupeKey) != nil && $0.heldSince == nil }
        let held = due.filter { $0.heldSince != nil }
        let others = due.filter { AlertComposer.transition(ofKey: $0.dedupeKey) == nil && $0.heldSince == nil }
        if muted, !alerts.isEmpty {
            // Written before the mute began: kept for the summary the owner gets when it ends.
            await hold(alerts, reason: .muted, now: now, until: user?.settings.mutedUntil ?? now)
            alerts = []
        }
        if !alerts.isEmpty, await otherChangeOnItsWay(owner: chat, alerts: alerts, now: now) {
            return 0  // looked at again at the next poll, until the window is over
        }
        if !alerts.isEmpty {
            // Alerts not yet due but already waiting join the group: that is what the window is for.
            let waiting =
                (try? await repositories.outbox.pending(chatID: chat, limit: configuration.maxGroupSize)) ?? []
            let known = Set(alerts.map(\.id))
            let joining = waiting.filter {
                !known.contains($0.id) && sentNotMarked[$0.id] == nil && $0.heldSince == nil
                    && AlertComposer.transition(ofKey: $0.dedupeKey) != nil
            }
            let claimed = await claim(joining, now: now)
            alerts += joining.filter { claimed.contains($0.id) }
            alerts.sort { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        }
        var parts: [OutboxGrouping.Part] = []
        if muted {
            await hold(
                held.filter { $0.heldReason == .muted }, reason: .muted, now: now,
                until: user?.settings.mutedUntil ?? now)
        }
        let summary = held.filter { !muted || $0.heldReason != .muted }.sorted {
            ($0.createdAt, $0.id) < ($1.createdAt, $1.id)
        }
        if !summary.isEmpty {
            let away = summary.contains { $0.heldReason == .unreachable }
            parts += OutboxGrouping.messages(
                summary, header: away ? texts.whileAwayHeader(count:) : texts.whileMutedHeader(count:),
                maxLength: configuration.maxMessageLength, headerAlways: true,
                openAllLabel: texts.buttonLabels.openAll)
        }
        parts += OutboxGrouping.messages(
            alerts, header: texts.groupHeader(count:), maxLength: configuration.maxMessageLength,
            openAllLabel: texts.buttonLabels.openAll)
        parts += others.map { OutboxGrouping.Part(text: $0.text, messages: [$0], replyMarkup: $0.replyMarkup) }
        return await send(parts, chat: chat, now: now)
    }

    /// Sends a chat's parts in order; a failure that will pass keeps the rest waiting behind it.
    private func send(_ parts: [OutboxGrouping.Part], chat: Int64, now: Date) async -> Int {
        var delivered = 0
        for (index, part) in parts.enumerated() {
            switch await send(part, chat: chat, now: now) {
            case .sent:
                delivered += part.messages.count
            case .skip:
                continue
            case .blocked:
                await holdForUnreachable(parts[(index + 1)...].flatMap(\.messages), now: now)
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

    /// Whether `alerts` may still wait for the grouping window and another monitor of the owner is
    /// mid-transition (failing but not down yet, or recovering) or has just changed and its alert is
    /// still stored in the monitor, on its way to the outbox: then they go out together.
    private func otherChangeOnItsWay(owner: Int64, alerts: [OutboxMessage], now: Date) async -> Bool {
        let window = configuration.groupingWindow.timeInterval
        guard window > 0, let oldest = alerts.map(\.createdAt).min(), now.timeIntervalSince(oldest) < window else {
            return false
        }
        let alerting = Set(alerts.compactMap { AlertComposer.monitorHex(ofKey: $0.dedupeKey) })
        guard let monitors = try? await repositories.monitors.list(ownerID: owner) else { return false }
        return monitors.contains { monitor in
            guard monitor.enabled, !alerting.contains(Substring(monitor.id.hex)) else { return false }
            // Behind a monitor that is alerting: its own alert waits for the parent anyway.
            if let parent = monitor.dependsOn, alerting.contains(Substring(parent.hex)) { return false }
            if !monitor.pendingAlerts.isEmpty { return true }
            return monitor.status == .down ? monitor.successStreak > 0 : monitor.failStreak > 0
        }
    }

    /// Keeps an unreachable owner's messages for `awayRetention` from their first hold, looking again
    /// every `awayRecheck` (and at once when the owner writes: the dispatcher releases them); older
    /// ones are given up, logged and counted, so an operator sees what an absent owner missed.
    private func holdForUnreachable(_ messages: [OutboxMessage], now: Date) async {
        let retention = configuration.awayRetention.timeInterval
        let expired = messages.filter { now.timeIntervalSince($0.heldSince ?? now) >= retention }
        let kept = messages.filter { now.timeIntervalSince($0.heldSince ?? now) < retention }
        if !expired.isEmpty {
            logger.warning(
                "owner unreachable for too long; notifications given up",
                metadata: ["chat_id": "\(expired[0].chatID)", "count": "\(expired.count)"])
            await giveUp(
                expired, reason: "the owner stayed unreachable (blocked the bot)", metric: "unreachable_expired")
        }
        await hold(
            kept, reason: .unreachable, now: now, until: now.addingTimeInterval(configuration.awayRecheck.timeInterval))
    }

    private func hold(_ messages: [OutboxMessage], reason: OutboxMessage.HoldReason, now: Date, until: Date) async {
        for message in messages {
            settledDuringRead.insert(message.id)
            if message.heldSince == nil { metrics.recordHeld(reason: reason.rawValue) }
            do {
                try await repositories.outbox.hold(message.id, reason: reason, since: now, until: until)
            } catch {
                logger.warning("cannot keep a notification back", metadata: ["error": "\(error)"])
            }
        }
    }

    private func send(_ part: OutboxGrouping.Part, chat: Int64, now: Date) async -> Outcome {
        // A holder cut off from MongoDB stops before its lease could pass to another instance.
        if let lease, !lease.isHeld { return .stopped }
        do throws(TelegramError) {
            try await api.sendMessageDiscardingResult(
                chatID: chat, text: part.text, replyMarkup: part.replyMarkup.map(ReplyMarkup.inline))
        } catch .cancelled {
            return .stopped
        } catch let error where error.meansUserGone {
            logger.info(
                "the user blocked the bot or is deactivated; marking unreachable, keeping their alerts",
                metadata: ["chat_id": "\(chat)"])
            do { try await repositories.users.setUnreachable(chat, true) } catch {
                logger.warning(
                    "cannot mark the user unreachable", metadata: ["chat_id": "\(chat)", "error": "\(error)"])
            }
            await holdForUnreachable(part.messages, now: now)
            return .blocked
        } catch .badRequest(_, let description) where Self.isLengthOrMarkup(description) {
            // Never dropped for its form: the same words as plain text, in parts that fit.
            return await sendPlain(part, chat: chat, now: now, refusal: description)
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
        await markSent(part)
        return .sent
    }

    private func markSent(_ part: OutboxGrouping.Part) async {
        let sentAt = clock.now()
        for message in part.messages {
            settledDuringRead.insert(message.id)
            do {
                if lease != nil, let claim = lastClaim {
                    if try await !repositories.outbox.markSent(message.id, at: sentAt, claim: claim) {
                        logger.warning(
                            "a notification sent here was claimed by another instance meanwhile",
                            metadata: ["chat_id": "\(message.chatID)"])
                    }
                } else {
                    try await repositories.outbox.markSent(message.id, at: sentAt)
                }
            } catch {
                sentNotMarked[message.id] = sentAt
            }
            if let transition = AlertComposer.transition(ofKey: message.dedupeKey) {
                metrics.recordAlertSent(transition: transition)
            }
        }
    }

    /// A 400 about the text's length or its HTML, which plain text in parts avoids.
    private static func isLengthOrMarkup(_ description: String) -> Bool {
        let text = description.lowercased()
        return text.contains("too long") || text.contains("message_too_long") || text.contains("can't parse entities")
    }

    private func sendPlain(_ part: OutboxGrouping.Part, chat: Int64, now: Date, refusal: String) async -> Outcome {
        logger.warning(
            "Telegram refused a notification's form; sending it as plain text",
            metadata: ["chat_id": "\(chat)", "error": "\(refusal)"])
        let pieces = TelegramText.split(plain: TelegramText.plain(fromHTML: part.text))
        for (index, piece) in pieces.enumerated() {
            // The buttons go under the last piece.
            let markup = index == pieces.count - 1 ? part.replyMarkup.map(ReplyMarkup.inline) : nil
            do throws(TelegramError) {
                try await api.sendMessageDiscardingResult(
                    chatID: chat, text: piece, parseMode: nil, replyMarkup: markup)
            } catch .cancelled {
                return .stopped
            } catch let error where Self.isFinal(error) {
                logger.error(
                    "Telegram refused a notification as plain text too; giving it up",
                    metadata: ["chat_id": "\(chat)", "error": "\(error)"])
                await giveUp(part.messages, reason: error.description)
                return .skip
            } catch {
                // Parts already sent may come again with the retry: better twice than never.
                await retryLater(part.messages, error: error.description, now: now)
                return .later
            }
        }
        await markSent(part)
        return .sent
    }

    /// Failures that repeating cannot fix: a malformed message, a chat that does not exist.
    private static func isFinal(_ error: TelegramError) -> Bool {
        switch error {
        case .badRequest, .chatMigrated, .messageNotModified, .messageToEditNotFound, .forbidden: true
        default: false
        }
    }

    /// Reschedules after a failure: the backoff for the message's attempts, and never sooner than
    /// Telegram asked (429's retry_after).
    private func retryLater(_ messages: [OutboxMessage], error: String, now: Date, notSooner: TimeInterval = 0) async {
        for message in messages {
            settledDuringRead.insert(message.id)
            let exponent = Double(min(message.attempts, 16))
            let backoff = min(
                configuration.maxRetryDelay.timeInterval, configuration.retryDelay.timeInterval * pow(2, exponent))
            // Jitter: chats failing together (a Telegram outage) do not all come back at once.
            let delay = max(backoff * Double.random(in: 0.5...1), notSooner)
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

    private func giveUp(_ messages: [OutboxMessage], reason: String, metric: String = "refused") async {
        for message in messages {
            settledDuringRead.insert(message.id)
            metrics.recordGivenUp(reason: metric)
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
