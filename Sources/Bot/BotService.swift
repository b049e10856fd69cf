import Logging
import ServiceLifecycle
import TelegramAPI

/// The conversation side of the process: long-polls Telegram and feeds the dispatcher, writing each
/// update down in the inbox until handled. On start it first handles what the inbox holds from before;
/// on shutdown it stops polling (confirming what was accepted), then finishes every update queued.
public struct BotService: Service {
    public let poller: LongPoller
    public let dispatcher: Dispatcher
    public let inbox: UpdateInbox
    let api: any BotAPI
    let logger: Logger

    public init(poller: LongPoller, dispatcher: Dispatcher, api: any BotAPI, logger: Logger) {
        self.poller = poller
        self.dispatcher = dispatcher
        self.inbox = UpdateInbox(repository: dispatcher.services.repositories.inbox, logger: logger)
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
        do {
            for update in try await inbox.recover() { await submit(update) }
        } catch {
            logger.warning(
                "could not read the inbox; updates taken before the last stop may be lost",
                metadata: ["error": "\(error)"])
        }
        logger.info("polling Telegram for updates")
        try await cancelWhenGracefulShutdown {
            try await poller.runBatches { updates in await inbox.accept(updates, submit: submit) }
        }
        logger.info(
            "stopped polling; finishing queued updates", metadata: ["in_flight": "\(dispatcher.queue.inFlight)"])
        await dispatcher.drain()
    }

    /// ALLOWED_PHONES / ADMIN_IDS as they are now: users they admitted and no longer list lose access
    /// before the first update is handled (the dispatcher checks again on every update).
    func revokeUnlistedUsers() async {
        do {
            let revoked = try await dispatcher.services.access.revokeUnlistedUsers(logger: logger)
            if revoked > 0 { logger.notice("revoked users no longer listed", metadata: ["count": "\(revoked)"]) }
            if let warning = try await dispatcher.services.access.adminlessWarning() { logger.warning("\(warning)") }
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
