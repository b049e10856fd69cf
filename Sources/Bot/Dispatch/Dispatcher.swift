import FSM
import Foundation
import HumanFormatting
import KeyedSerialization
import Logging
import MetricNames
import Metrics
import Storage
import TelegramAPI

/// Takes updates from the poller and runs each through auth, routing and error handling.
/// One user's updates are handled one at a time, in order; different users in parallel.
public final class Dispatcher: Sendable {
    let api: any BotAPI
    let dependencies: HandlerDependencies
    let router: Router
    let botID: Int64
    let logger: Logger
    let queue = KeyedSerialQueue<Int64>()
    /// Above this many queued updates the poller waits, so a flood cannot exhaust memory.
    let maxInFlight: Int

    /// Indexed by `kindIndex`: messages, then button presses.
    static let kinds = [UpdateKind.message, .callbackQuery].map(\.rawValue)
    private let handled = kinds.map { Counter(label: MetricName.updatesHandled, dimensions: [("type", $0)]) }
    private let failed = kinds.map { Counter(label: MetricName.updatesFailed, dimensions: [("type", $0)]) }
    private let latency = Timer(label: MetricName.updateHandling)

    public init(
        api: any BotAPI, dependencies: HandlerDependencies, botID: Int64, router: Router = BotRoutes.all(),
        maxInFlight: Int = 10_000, logger: Logger
    ) {
        self.api = api
        self.dependencies = dependencies
        self.router = router
        self.botID = botID
        self.maxInFlight = maxInFlight
        self.logger = logger
    }

    /// Queues the update behind the same user's earlier ones and returns; `whenHandled` runs after it
    /// is handled, still in the user's turn.
    public func submit(_ update: Update, whenHandled: (@Sendable () async -> Void)? = nil) async {
        while queue.inFlight >= maxInFlight, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(5))
        }
        let key = update.sender?.id ?? 0
        queue.submit(key) { [self] in
            await self.handle(update)
            await whenHandled?()
        }
    }

    /// Returns when every queued update has been handled.
    public func drain() async { await queue.waitUntilIdle() }

    /// Handles one update to the end; errors become a message to the user and a log line.
    public func handle(_ update: Update) async {
        guard let from = update.sender, !from.isBot, let chat = update.chat else { return }
        // A personal bot: groups and channels are not conversations it keeps.
        guard chat.type == .private else { return }
        let started = ContinuousClock.now
        let kindIndex = update.callbackQuery == nil ? 0 : 1
        var logger = self.logger
        logger[metadataKey: "user"] = "\(from.id)"
        logger[metadataKey: "update"] = "\(update.updateID)"
        let key = StorageKey(botID: botID, chatID: chat.id, userID: from.id)
        let fsm = FSMContext(storage: dependencies.repositories.fsm, key: key)
        var context = BotContext(
            update: update, from: from, chatID: chat.id, api: api, fsm: fsm, user: nil,
            texts: Texts(language: Language(code: from.languageCode)), dependencies: dependencies, logger: logger)
        do {
            try await admit(&context)
            var state = try await fsm.load().state
            if context.user == nil, context.account != nil, state != nil {
                // Access was lost mid-dialog: the dialog ends here, whatever this update is.
                try await fsm.clear()
                state = nil
            }
            let route = router.route(for: update, state: state)
            if context.user == nil, route?.anonymous != true {
                if let account = context.account {
                    try await AccessHandlers.refuse(context, account)
                } else {
                    try await StartHandlers.askToSignIn(context)
                }
            } else if let route {
                logger.debug("handling", metadata: ["route": "\(route.name)", "state": "\(state ?? "-")"])
                try await route.handler(context)
            } else {
                try await FallbackHandlers.unmatched(context, state: state)
            }
            handled[kindIndex].increment()
        } catch {
            failed[kindIndex].increment()
            await report(error, context: context)
        }
        await context.answerCall.finish()
        latency.recordInterval(since: started)
    }

    /// Reads the sender's record and decides, on every update, whether they may use the bot: a revoked
    /// user's next update is refused (the user cache drops an entry whenever access changes).
    private func admit(_ context: inout BotContext) async throws {
        guard var account = try await dependencies.repositories.users.get(context.from.id) else { return }
        account = try await dependencies.access.recheck(account, logger: context.logger)
        if account.unreachable {
            try await welcomeBack(account.id, context: &context)
            account.unreachable = false
        }
        context.account = account
        context.texts = Texts(
            language: Language(code: account.language),
            zone: ChatTimeZone.resolve(account.settings.timeZone, default: dependencies.settings.timeZone))
        guard dependencies.access.policy.mayUse(account) else { return }
        context.user = account
        let now = Date()
        if account.lastSeenAt.map({ now.timeIntervalSince($0) >= Self.lastSeenResolution }) ?? true {
            do {
                try await dependencies.repositories.users.touch(account.id, at: now)
            } catch {
                context.logger.warning("could not record when the user was last seen", metadata: ["error": "\(error)"])
            }
        }
    }

    /// `last_seen_at` is written at most this often per user (seconds), not on every update.
    static let lastSeenResolution: TimeInterval = 300

    /// Any update from a user proves they can be reached again (they unblocked the bot): their kept
    /// alerts are released for the "while you were away" summary.
    private func welcomeBack(_ userID: Int64, context: inout BotContext) async throws {
        try await dependencies.repositories.users.setUnreachable(userID, false)
        context.logger.info("unreachable user wrote again; delivering what was kept")
        try await dependencies.repositories.outbox.releaseHeld(chatID: userID, now: Date())
    }

    /// Tells the user something failed (state and data stay as they were) and logs why.
    private func report(_ error: any Error, context: BotContext) async {
        if let error = error as? TelegramError, error.meansUserGone {
            // The user blocked the bot: nothing can reach them until they write again.
            try? await dependencies.repositories.users.setUnreachable(context.from.id, true)
            return
        }
        context.logger.error("update failed", metadata: ["error": "\(error)"])
        context.answer()
        try? await context.reply(context.texts.somethingWentWrong)
    }
}

extension Timer {
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
