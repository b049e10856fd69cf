import Logging
import Synchronization

/// Every log line written through its loggers, rendered with metadata, at every level.
public final class LogCapture: Sendable {
    public init() {}

    public struct Line: Sendable {
        public var level: Logger.Level
        public var text: String
    }

    private let storage = Mutex<[Line]>([])

    public var lines: [Line] { storage.withLock { $0 } }

    public func logger(_ label: String) -> Logger {
        Logger(label: label) { label in CapturingLogHandler(label: label, capture: self) }
    }

    fileprivate func append(_ line: Line) {
        storage.withLock { $0.append(line) }
    }
}

private struct CapturingLogHandler: LogHandler {
    let label: String
    let capture: LogCapture
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let rendered = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        capture.append(.init(level: event.level, text: "[\(label)] \(event.message) \(rendered)"))
    }
}
