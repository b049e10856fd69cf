import Logging

/// Logs go to stdout with levels (Docker collects them); set once per process.
enum AppLogging {
    static func bootstrap(level: Logger.Level) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "uptime-bot")
        logger.logLevel = level
        return logger
    }
}
