import Curl
import Targets

/// How an HTTP monitor asks and what its answer must be, beyond URL and keyword (the owner's
/// per-monitor choices). The header value is a secret: this type never prints it.
public struct HTTPOptions: Sendable, Hashable, CustomStringConvertible {
    /// "GET" or "HEAD" (HEAD reads no body, so a keyword is not looked for).
    public var method: String
    /// One header sent with the check (an API key), or none.
    public var header: HTTPHeaders.Field?
    /// Statuses that count as up; nil = 2xx and 3xx.
    public var expectedStatus: ExpectedStatus?
    /// The keyword must be absent (an error banner) instead of present.
    public var keywordAbsent: Bool
    /// The monitor's own limit, under the operator's CHECK_TIMEOUT; nil = CHECK_TIMEOUT.
    public var timeout: Duration?

    public init(
        method: String = "GET", header: HTTPHeaders.Field? = nil, expectedStatus: ExpectedStatus? = nil,
        keywordAbsent: Bool = false, timeout: Duration? = nil
    ) {
        self.method = method
        self.header = header
        self.expectedStatus = expectedStatus
        self.keywordAbsent = keywordAbsent
        self.timeout = timeout
    }

    /// Without the header's value, for any log line or debug print.
    public var description: String {
        "HTTPOptions(method: \(method), header: \(header.map { "\($0.name): ••••" } ?? "none"), "
            + "expectedStatus: \(expectedStatus?.description ?? "default"), keywordAbsent: \(keywordAbsent))"
    }
}
