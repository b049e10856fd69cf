import Logging
import Synchronization

/// Logs go to stdout with levels (Docker collects them); set once per process. The level lives in
/// one switch every handler reads, so SIGHUP can change it without a restart (LogLevelReload).
enum AppLogging {
    static let level = LogLevelSwitch(.info)

    static func bootstrap(level initial: Logger.Level) -> Logger {
        level.set(initial)
        LoggingSystem.bootstrap { label in
            SwitchedLevelLogHandler(base: StreamLogHandler.standardOutput(label: label), level: level)
        }
        return Logger(label: "uptime-bot")
    }
}

/// The process-wide log level, changed at run time.
final class LogLevelSwitch: Sendable {
    private let current: Mutex<Logger.Level>

    init(_ level: Logger.Level) { current = Mutex(level) }

    var value: Logger.Level { current.withLock { $0 } }

    func set(_ level: Logger.Level) { current.withLock { $0 = level } }
}

/// A handler whose level is the switch's, unless one logger set its own (value semantics, as
/// swift-log expects: setting it on one copy changes no other logger).
struct SwitchedLevelLogHandler: LogHandler {
    var base: StreamLogHandler
    let level: LogLevelSwitch
    private var ownLevel: Logger.Level?

    init(base: StreamLogHandler, level: LogLevelSwitch) {
        self.base = base
        self.level = level
    }

    var logLevel: Logger.Level {
        get { ownLevel ?? level.value }
        set { ownLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        base.log(event: event)
    }
}
