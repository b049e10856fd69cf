import ArgumentParser
import Bot
import Checks
import Cluster
import Curl
import Foundation
import Health
import ICMP
import Logging
import Monitor
import ServiceLifecycle
import Storage
import TelegramAPI

/// `uptime-bot run` (the default): the bot, the monitor, the outbox sender and the health endpoint,
/// until SIGTERM/SIGINT; then in-flight work finishes and the process exits.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the bot (the default).")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        // Before threads start: fewer malloc arenas and a fixed mmap threshold keep RSS small (see AllocatorTuning).
        AllocatorTuning.apply()
        let registry = PrometheusMetrics.bootstrap()
        let settings: Settings
        do {
            settings = try await Settings.load(envFile: options.envFile)
        } catch let error as SettingError {
            guard StartupWaiting.isEnabled else { throw exitWithStartupFailure(error.description) }
            let logger = AppLogging.bootstrap(level: .info)
            logger.critical("\(error.description) (not ready until fixed and restarted)")
            try await StartupWaiting.serveNotReady(
                reason: error.setting, port: StartupWaiting.fallbackHealthPort, registry: registry, logger: logger)
        }
        let logger = AppLogging.bootstrap(level: settings.logLevel)
        let storage: StorageBootstrap
        do {
            storage = try await StorageBootstrap.open(settings, logger: logger)
        } catch {
            guard StartupWaiting.isEnabled else {
                throw exitWithStartupFailure(error.message, code: error.retryable ? 1 : 2)
            }
            logger.error("\(error.message); not ready, retrying (ON_STARTUP_FAILURE=wait)")
            storage = try await StartupWaiting.retrying(
                after: error.message, check: "mongodb", host: settings.healthHost, port: settings.healthPort,
                registry: registry, logger: logger
            ) { () async throws(StorageBootstrap.Failure) in try await StorageBootstrap.open(settings, logger: logger) }
        }

        let client: TelegramClient
        do {
            // Bot API traffic on its own libcurl client, logging through a logger that scrubs the token from URLs.
            client = try TelegramClient(
                configuration: TelegramClientConfiguration(
                    token: settings.botToken, baseURL: settings.telegramAPIURL, telegramProxy: settings.telegramProxy),
                logger: logger)
        } catch {
            throw exitWithStartupFailure("libcurl could not start: \(error)", code: 1)
        }
        let sender = TelegramSender(client: client, limits: settings.telegramLimits, logger: logger)
        // The token's numeric part is the bot's id: no network call needed before polling starts.
        let botID = settings.botToken.botID ?? 0
        if settings.signup == .open {
            logger.warning(
                "SIGNUP=open: anyone on Telegram can sign in while ALLOWED_PHONES is empty; set SIGNUP=approval to approve each user"
            )
        }
        var botSettings = BotSettings(
            signup: settings.signup, maxMonitorsPerUser: settings.maxMonitorsPerUser,
            maxAddsPerMinute: settings.maxAddsPerMinute, minCheckInterval: settings.minCheckInterval,
            allowedPhones: Set(settings.allowedPhones),
            adminIDs: Set(settings.adminIDs),
            defaultFailuresBeforeAlert: settings.failuresBeforeAlert, defaultCheckInterval: settings.checkInterval,
            checkTimeout: settings.checkTimeout)
        botSettings.timeZone = settings.timeZone
        // One resolver for the process: the target policy, the vetting of chat input, the pinger and the HTTP checks.
        let resolver = HostResolver()
        let policy = await TargetPolicyWiring.policy(settings: settings, resolver: resolver, logger: logger)
        let vetting = TargetPolicyWiring.vetting(TargetVetter(policy: policy, resolver: resolver))
        // Chat edits reach the scheduler at once through this feed (Bot and Monitor know only Storage).
        let monitorChanges = MonitorChangeFeed()
        let dispatcher = Dispatcher(
            api: sender,
            dependencies: HandlerDependencies(
                repositories: storage.repositories, settings: botSettings, targetVetting: vetting,
                monitorChanges: monitorChanges),
            botID: botID, logger: logger)
        let poller = LongPoller(client: client, logger: logger)
        let cluster = ClusterWiring.make(settings: settings, database: storage.database, logger: logger)
        let bot = BotService(
            poller: poller, dispatcher: dispatcher, inbox: storage.repositories.inbox, api: sender,
            pollerLease: cluster?.membership.gate(LeaseName.poller), logger: logger)

        var readiness =
            cluster?.readiness(poller: poller) ?? [
                ReadinessCheck("telegram") {
                    guard let last = poller.lastSuccessfulPoll else { return false }
                    return Date().timeIntervalSince(last) < 90
                }
            ]
        if let mongo = storage.client {
            readiness.append(ReadinessCheck("mongodb") { (try? await mongo.ping()) != nil })
        }
        let health = HealthServer(
            host: settings.healthHost, port: settings.healthPort, checks: readiness, registry: registry, logger: logger)

        // The coordinator first: services stop in reverse order, so it gives its leases up last.
        var services: [any Service] = cluster.map { [$0.coordinator] } ?? []
        services += [
            bot, health,
            await LogLevelReload.trappingSIGHUP(envFile: options.envFile, level: AppLogging.level, logger: logger),
        ]
        services += try MonitorWiring.services(
            settings: settings, targetPolicy: policy, resolver: resolver, repositories: storage.repositories,
            api: sender.bulkSender(), monitorChanges: monitorChanges, membership: cluster?.membership, logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        logger.info(
            "uptime-bot started",
            metadata: [
                "storage": "\(storage.client == nil ? "memory" : "mongodb")",
                "cluster": "\(cluster?.membership.holder ?? "off")",
                "telegram_api": "\(settings.telegramAPIURL)",
            ])
        try await group.run()
        await storage.client?.shutdown()
        logger.info("uptime-bot stopped")
    }
}
