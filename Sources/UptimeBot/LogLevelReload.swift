import Configuration
import Logging
import ServiceLifecycle
import SystemPackage
import UnixSignals

/// SIGHUP (`systemctl reload uptime-bot`, `kill -HUP`) reads LOG_LEVEL again from the env file and
/// applies it without a restart. The file wins here, unlike at start-up: the operator just edited
/// it, while the process environment still holds the value from the start (systemd's
/// EnvironmentFile). A bad value is one line naming the setting; the level stays as it was.
struct LogLevelReload: Service {
    let envFile: String
    let level: LogLevelSwitch
    let logger: Logger
    /// Trapping from its creation on: made before start-up is announced, so an early SIGHUP cannot
    /// end the process (the default action of SIGHUP).
    let signals: UnixSignalsSequence

    static func trappingSIGHUP(envFile: String, level: LogLevelSwitch, logger: Logger) async -> LogLevelReload {
        LogLevelReload(
            envFile: envFile, level: level, logger: logger, signals: await UnixSignalsSequence(trapping: .sighup))
    }

    func run() async throws {
        for await _ in signals.cancelOnGracefulShutdown() {
            await reload()
        }
    }

    func reload() async {
        let file: EnvironmentVariablesProvider
        do {
            file = try await EnvironmentVariablesProvider(
                environmentFilePath: FilePath(envFile), allowMissing: false,
                secretsSpecifier: .specific(Settings.secrets))
        } catch {
            logger.error("SIGHUP: cannot read \(envFile) to reload LOG_LEVEL; the level stays \(level.value)")
            return
        }
        let raw = SettingsReader(config: ConfigReader(provider: file)).string("LOG_LEVEL") ?? "info"
        do {
            let new = try Settings.parseLogLevel(raw)
            let old = level.value
            level.set(new)
            logger.notice("SIGHUP: LOG_LEVEL is now \(new) (was \(old)), read from \(envFile)")
        } catch {
            logger.error("SIGHUP: \(error.description); the level stays \(level.value)")
        }
    }
}
