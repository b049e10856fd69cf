import Checks
import Cluster
import Curl
import ICMP
import Logging
import Monitor
import ServiceLifecycle
import Storage
import TelegramAPI

/// The monitor engine's services: the scheduler (checks, alert state, history) and the outbox sender.
enum MonitorWiring {
    static func services(
        settings: Settings, targetPolicy: TargetPolicy, resolver: HostResolver, repositories: Repositories,
        api: any BotAPI, monitorChanges: MonitorChangeFeed, membership: ClusterMembership? = nil, logger: Logger
    ) throws -> [any Service] {
        let pinger: ICMPPinger?
        do {
            pinger = try ICMPPinger(logger: logger, resolver: resolver)
        } catch {
            // One line that says what to grant; HTTP checks go on, ICMP monitors are not checked.
            logger.error("ICMP checks disabled: \(error)")
            pinger = nil
        }
        // Checks get their own libcurl client so they never queue behind Bot API calls.
        let http: CurlHTTPClient
        do {
            http = try CurlHTTPClient(maxConcurrent: settings.checkConcurrency, logger: logger)
        } catch {
            throw exitWithStartupFailure("libcurl could not start: \(error)", code: 1)
        }
        let checkProxy = MonitorConfiguration.proxySetting(settings.checkProxy)
        var configuration = MonitorConfiguration(
            checkInterval: settings.checkInterval, minCheckInterval: settings.minCheckInterval,
            failuresBeforeAlert: settings.failuresBeforeAlert,
            successesBeforeRecovery: settings.successesBeforeRecovery, pingProbes: settings.pingProbes,
            checkTimeout: .seconds(settings.checkTimeout), checkConcurrency: settings.checkConcurrency,
            checkProxy: checkProxy,
            historyRetention: .seconds(settings.checkHistoryDays * 86_400), canaryTargets: settings.canaryTargets,
            adminIDs: settings.adminIDs, targetPolicy: targetPolicy)
        configuration.timeZone = settings.timeZone
        return [
            MonitorService(
                parts: .assemble(
                    repositories: repositories, pinger: pinger, http: http, resolver: resolver,
                    configuration: configuration, membership: membership, logger: logger),
                changes: monitorChanges, logger: logger),
            OutboxSender(
                repositories: repositories, api: api, lease: membership?.gate(LeaseName.outbox), logger: logger),
        ]
    }
}
