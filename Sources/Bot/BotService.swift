import Cluster
import Logging
import ServiceLifecycle
import Storage
import TelegramAPI

/// The conversation side of the process: long-polls Telegram and feeds the dispatcher, writing each
/// update down in the inbox until handled. On start it first handles what the inbox holds from before;
/// on shutdown it stops polling (confirming what was accepted), then finishes every update queued.
public struct BotService: Service {
    public let poller: LongPoller
    public let dispatcher: Dispatcher
    public let inbox: UpdateInbox
    let api: any BotAPI
    /// In a cluster: the poller lease. Only its holder polls; a new holder first handles what the
    /// inbox holds unhandled (nil: this process alone polls).
    let pollerLease: LeaseGate?
    let logger: Logger

    /// - Parameter inbox: where updates are written down until handled (the same store the dispatcher's
    ///   repositories hold, passed by the composition root).
    public init(
        poller: LongPoller, dispatcher: Dispatcher, inbox: any UpdateInboxRepository, api: any BotAPI,
        pollerLease: LeaseGate? = nil, logger: Logger
    ) {
        self.pollerLease = pollerLease
        self.poller = poller
        self.dispatcher = dispatcher
        self.inbox = UpdateInbox(repository: inbox, logger: logger)
        self.api = api
        self.logger = logger
    }

    public func run() async throws {
        await publishCommands()
        await revokeUnlistedUsers()
        let dispatcher = self.dispatcher
        let inbox = self.inbox
        let submit: @Sendable (Update) async -> Void = { update in
            await dispatcher.submit(update) { await inbox.handled(update) }
        }
        let poller = self.poller
        let logger = self.logger
        if let lease = pollerLease {
            try await cancelWhenGracefulShutdown {
                try await Self.pollWhileHolding(lease, poller: poller, inbox: inbox, submit: submit, logger: logger)
            }
        } else {
            await recoverInbox(submit)
            logger.info("polling Telegram for updates")
            try await cancelWhenGracefulShutdown {
                try await poller.runBatches { updates in await inbox.accept(updates, submit: submit) }
            }
        }
        logger.info(
            "stopped polling; finishing queued updates", metadata: ["in_flight": "\(dispatcher.queue.inFlight)"])
        await dispatcher.drain()
    }

    /// Updates the inbox holds unhandled (from before a restart, or from the poller lease's last holder).
    private func recoverInbox(_ submit: @Sendable (Update) async -> Void) async {
        await Self.recover(inbox, submit: submit, logger: logger)
    }

    private static func recover(_ inbox: UpdateInbox, submit: @Sendable (Update) async -> Void, logger: Logger) async {
        do {
            for update in try await inbox.recover() { await submit(update) }
        } catch {
            logger.warning(
                "could not read the inbox; updates taken before the last stop may be lost",
                metadata: ["error": "\(error)"])
        }
    }

    /// Polls while this instance holds the poller lease; stands by while another does. Each time the
    /// lease is taken, the inbox is read first: what the last holder took and did not finish is
    /// handled here, and what it finished is never handed out again.
    private static func pollWhileHolding(
        _ lease: LeaseGate, poller: LongPoller, inbox: UpdateInbox, submit: @escaping @Sendable (Update) async -> Void,
        logger: Logger
    ) async throws {
        while !Task.isCancelled {
            do { try await lease.waitUntilHeld() } catch { return }
            logger.notice("polling Telegram for updates (this instance holds the poller lease)")
            await recover(inbox, submit: submit, logger: logger)
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await poller.runBatches { updates in await inbox.accept(updates, submit: submit) }
                    }
                    group.addTask { try await lease.waitUntilLost() }
                    _ = try await group.next()
                    group.cancelAll()
                }
            } catch is CancellationError {
                return
            }
            if !Task.isCancelled { logger.notice("stopped polling: the poller lease went to another instance") }
        }
    }

    /// ALLOWED_PHONES / ADMIN_IDS as they are now: users they admitted and no longer list lose access
    /// before the first update is handled (the dispatcher checks again on every update).
    func revokeUnlistedUsers() async {
        do {
            let revoked = try await dispatcher.dependencies.access.revokeUnlistedUsers(logger: logger)
            if revoked > 0 { logger.notice("revoked users no longer listed", metadata: ["count": "\(revoked)"]) }
            if let warning = try await dispatcher.dependencies.access.adminlessWarning() {
                logger.warning("\(warning)")
            }
        } catch {
            logger.warning(
                "could not check users against ALLOWED_PHONES at start; each is checked on their next update",
                metadata: ["error": "\(error)"])
        }
    }

    /// The "/" menu in Russian (also the default for every other language) and English.
    /// Best effort: a bot without a menu still works.
    func publishCommands() async {
        do {
            try await api.setMyCommands(BotRoutes.commands(.ru))
            try await api.setMyCommands(BotRoutes.commands(.ru), languageCode: "ru")
            try await api.setMyCommands(BotRoutes.commands(.en), languageCode: "en")
        } catch {
            logger.warning("could not set the command menu", metadata: ["error": "\(error)"])
        }
    }
}
