import Logging

extension Logger {
    /// This logger with the token scrubbed from every message and metadata value. Give it to the
    /// `CurlHTTPClient` that carries Bot API traffic: libcurl's errors, and Curl's debug logs,
    /// quote the request URL, which contains the token.
    public func redacting(_ token: BotToken) -> Logger {
        var logger = self
        logger.handler = RedactingLogHandler(wrapped: handler, token: token)
        return logger
    }
}

/// Forwards to another handler after replacing the token; the cost is paid only for lines that
/// pass the level check.
struct RedactingLogHandler: LogHandler {
    var wrapped: any LogHandler
    let token: BotToken

    var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { wrapped.metadataProvider }
        set { wrapped.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        event.message = "\(token.redact(event.message.description))"
        event.metadata = event.metadata?.mapValues(redact)
        wrapped.log(event: event)
    }

    private func redact(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): .string(token.redact(text))
        case .stringConvertible(let convertible): .string(token.redact(convertible.description))
        case .array(let values): .array(values.map(redact))
        case .dictionary(let values): .dictionary(values.mapValues(redact))
        }
    }
}
