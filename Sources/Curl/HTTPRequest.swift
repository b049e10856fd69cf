/// Which proxy a request goes through.
public enum ProxySetting: Sendable, Hashable {
    /// libcurl's own handling of `http_proxy`, `https_proxy`/`HTTPS_PROXY`, `all_proxy` and `no_proxy`
    /// (the DMZ deployments configure the proxy this way, as for every other tool there).
    case environment
    /// A direct connection, whatever the environment says.
    case none
    /// This proxy, e.g. `http://127.0.0.1:3128`.
    case url(String)
}

/// One HTTP request for `CurlHTTPClient`. Only `http` and `https` URLs are accepted, also for redirects,
/// so a user-supplied URL cannot read `file://` or speak other protocols.
public struct HTTPRequest: Sendable {
    /// "GET", "HEAD", "POST", or any other method name.
    public var method: String
    public var url: String
    public var headers: HTTPHeaders
    public var body: [UInt8]?
    public var connectTimeout: Duration
    /// Limit on the whole transfer, connecting and redirects included.
    public var timeout: Duration
    public var followRedirects: Bool
    public var maxRedirects: Int
    /// Bytes of body kept; reading stops beyond them, so a huge body costs neither memory nor bandwidth.
    public var maxBodyBytes: Int
    /// When the body is longer than `maxBodyBytes`: true keeps the first bytes and sets
    /// `HTTPResponse.bodyTruncated`; false fails with `CurlError.Kind.tooLarge`.
    public var truncateOversizedBody: Bool
    /// Stop reading the body as soon as it contains these bytes (a keyword check needs no more).
    public var stopAfterBodyContains: [UInt8]?
    public var verifyTLS: Bool
    /// PEM file of CA certificates to trust instead of the system store (an internal CA, a test CA).
    public var caBundlePath: String?
    public var proxy: ProxySetting
    /// Hosts that bypass the proxy, in libcurl's `no_proxy` syntax ("localhost,.corp,10.0.0.0/8").
    public var noProxy: String?
    /// Ask for gzip/brotli/zstd and decode; `maxBodyBytes` then counts decoded bytes.
    public var acceptCompressed: Bool
    /// Open a new connection and close it afterwards, so the request measures what a new visitor
    /// sees (DNS, TCP, TLS) — what an uptime check wants; API clients keep reuse on.
    public var freshConnection: Bool
    /// Collect the server's certificate (for its expiry date) on https.
    public var collectCertificateInfo: Bool
    /// Asked for every connection the request opens, redirect hops included, before anything is sent.
    public var connectionGate: ConnectionGate?
    /// libcurl's CURLOPT_RESOLVE entries ("host:port:address"): names answered without DNS.
    public var resolveOverrides: [String]

    public init(
        method: String = "GET",
        url: String,
        headers: HTTPHeaders = [:],
        body: [UInt8]? = nil,
        connectTimeout: Duration = .seconds(10),
        timeout: Duration = .seconds(30),
        followRedirects: Bool = true,
        maxRedirects: Int = 10,
        maxBodyBytes: Int = 16 << 20,
        truncateOversizedBody: Bool = true,
        stopAfterBodyContains: [UInt8]? = nil,
        verifyTLS: Bool = true,
        caBundlePath: String? = nil,
        proxy: ProxySetting = .environment,
        noProxy: String? = nil,
        acceptCompressed: Bool = true,
        freshConnection: Bool = false,
        collectCertificateInfo: Bool = false,
        connectionGate: ConnectionGate? = nil,
        resolveOverrides: [String] = []
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.followRedirects = followRedirects
        self.maxRedirects = maxRedirects
        self.maxBodyBytes = maxBodyBytes
        self.truncateOversizedBody = truncateOversizedBody
        self.stopAfterBodyContains = stopAfterBodyContains
        self.verifyTLS = verifyTLS
        self.caBundlePath = caBundlePath
        self.proxy = proxy
        self.noProxy = noProxy
        self.acceptCompressed = acceptCompressed
        self.freshConnection = freshConnection
        self.collectCertificateInfo = collectCertificateInfo
        self.connectionGate = connectionGate
        self.resolveOverrides = resolveOverrides
    }
}

extension Duration {
    /// Whole milliseconds, at least 1: libcurl reads 0 as "no limit", never what a caller meant.
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        let ms = seconds.multipliedReportingOverflow(by: 1000)
        if ms.overflow { return Int.max }
        return max(1, Int(ms.partialValue + attoseconds / 1_000_000_000_000_000))
    }
}
