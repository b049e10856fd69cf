import Curl
import Logging
import ServiceLifecycle
import Storage
import TelegramAPI

/// The monitor engine's services (scheduler, outbox sender); filled in when the engine lands.
enum MonitorWiring {
    static func services(settings: Settings, repositories: Repositories, http: CurlHTTPClient, api: any BotAPI, logger: Logger) throws -> [any Service] {
        []
    }
}
