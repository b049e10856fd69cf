import Curl
import Targets

/// What one HTTP monitor checks: a URL and the conditions its answer must meet.
public struct HTTPCheckTarget: Sendable, Hashable {
    /// An http:// or https:// URL.
    public var url: String
    /// Statuses that count as up (after redirects); 2xx and 3xx by default.
    public var expectedStatus: ClosedRange<Int>
    /// Text that must appear in the body (case-sensitive, within the first
    /// `HTTPChecker.keywordSearchLimit` bytes); nil checks the status only.
    public var keyword: String?
    public var connectTimeout: Duration
    /// Limit on the whole check, redirects included.
    public var timeout: Duration
    /// Redirects followed before failing with `tooManyRedirects`; 0 judges the first answer itself.
    public var maxRedirects: Int
    /// Off only for a server the owner knowingly runs with an untrusted certificate.
    public var verifyTLS: Bool
    /// A list of statuses and ranges that replaces `expectedStatus` when set.
    public var acceptedStatuses: ExpectedStatus?
    /// The keyword must not appear (within the same search limit).
    public var keywordAbsent: Bool = false
    /// "GET" or "HEAD".
    public var method: String = "GET"
    /// Sent with the request; never logged.
    public var headers: HTTPHeaders = [:]

    /// Whether `status` counts as up.
    public func accepts(_ status: Int) -> Bool {
        acceptedStatuses.map { $0.contains(status) } ?? expectedStatus.contains(status)
    }

    public init(
        url: String,
        expectedStatus: ClosedRange<Int> = 200...399,
        keyword: String? = nil,
        connectTimeout: Duration = .seconds(10),
        timeout: Duration = .seconds(30),
        maxRedirects: Int = 10,
        verifyTLS: Bool = true
    ) {
        self.url = url
        self.expectedStatus = expectedStatus
        self.keyword = keyword
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.maxRedirects = maxRedirects
        self.verifyTLS = verifyTLS
    }
}
