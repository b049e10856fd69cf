import Logging
import ServiceLifecycle
import TelegramAPI

/// The conversation side of the process: long-polls Telegram and feeds the dispatcher. On shutdown
/// it stops polling (confirming what was accepted), then finishes every update already queued.
public struct BotService: Service {
    public let poller: LongPoller
    public let dispatcher: Dispatcher
    let api: any BotAPI
    let logger: Logger

    public init(poller: LongPoller, dispatcher: Dispatcher, api: any BotAPI, logger: Logger) {
        self.poller = poller
        self.dispatcher = dispatcher
        self.api = api
        self.logger = logger
    }

    public func run() async throws {
        await publishCommands()
        let dispatcher = self.dispatcher
        logger.info("polling Telegram for updates")
        try await cancelWhenGracefulShutdown {
            try await poller.run { update in await dispatcher.submit(update) }
        }
        logger.info("stopped polling; finishing queued updates", metadata: ["in_flight": "\(dispatcher.queue.inFlight)"])
        await dispatcher.drain()
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
