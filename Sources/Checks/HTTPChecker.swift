import Curl
import ICMP
import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Checks HTTP(S) targets through a shared `CurlHTTPClient` (whose `maxConcurrent` bounds how many
/// run at once). Each check opens a fresh connection, so it measures what a new visitor gets.
public struct HTTPChecker: Sendable {
    /// Body bytes searched for a keyword; reading stops at the keyword or here, so a huge page
    /// costs neither memory nor bandwidth.
    public static let keywordSearchLimit = 1 << 20
    /// Body bytes read when there is no keyword: enough to see the server deliver, no more.
    public static let bodyReadLimit = 64 << 10

    private var client: CurlHTTPClient
    let proxy: ProxySetting
    let noProxy: String?
    private let caBundlePath: String?
    private let logger: Logger
    /// nil checks every address (the operator's CLI); otherwise see `HTTPChecker+Policy`.
    var policy: TargetPolicy?
    let resolver: HostResolver
    /// The proxy variables as libcurl sees them, read once (the gate runs on the loop thread).
    let environment: [String: String]
    /// Tests only: libcurl's CURLOPT_RESOLVE entries, so a name can point at a loopback address.
    private let resolveOverrides: [String]

    /// - Parameters:
    ///   - proxy: `.environment` (libcurl reads http_proxy/https_proxy/no_proxy) unless configured otherwise.
    ///   - noProxy: hosts that bypass the proxy, libcurl's `no_proxy` syntax.
    ///   - caBundlePath: CA certificates to trust instead of the system store (a corporate CA).
    ///   - policy: TARGET_ALLOW / TARGET_DENY, enforced on every connection; nil allows everything.
    ///   - resolveOverrides: tests only, libcurl's `host:port:address` entries.
    public init(
        client: CurlHTTPClient, proxy: ProxySetting = .environment, noProxy: String? = nil,
        caBundlePath: String? = nil, policy: TargetPolicy? = nil,
        resolver: HostResolver = HostResolver(),
        resolveOverrides: [String] = [], logger: Logger
    ) {
        self.client = client
        self.proxy = proxy
        self.noProxy = noProxy
        self.caBundlePath = caBundlePath
        self.policy = policy
        self.resolver = resolver
        self.environment = ProcessInfo.processInfo.environment
        self.resolveOverrides = resolveOverrides
        self.logger = logger
    }

    /// Checks once. A failing target is a result, not an error; only cancellation (the monitor
    /// stopping) throws, so a shutdown is never recorded as an outage.
    public func check(_ target: HTTPCheckTarget, ownerIsAdmin: Bool = false) async throws(CancellationError)
        -> HTTPCheckResult
    {
        let checkedAt = Date()
        let started = ContinuousClock.now
        if let refusal = await proxiedTargetRefusal(target.url, ownerIsAdmin: ownerIsAdmin) {
            return HTTPCheckResult(url: target.url, checkedAt: checkedAt, failure: .deniedByPolicy(reason: refusal))
        }
        let gate = connectionGate(ownerIsAdmin: ownerIsAdmin)
        // HEAD has no body to look in: the keyword is not checked then.
        let isHead = target.method.uppercased() == "HEAD"
        let keyword = isHead ? nil : target.keyword.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
        let request = HTTPRequest(
            method: isHead ? "HEAD" : "GET",
            url: target.url,
            headers: target.headers,
            connectTimeout: target.connectTimeout,
            timeout: target.timeout,
            followRedirects: target.maxRedirects > 0,
            maxRedirects: target.maxRedirects,
            maxBodyBytes: keyword == nil ? Self.bodyReadLimit : Self.keywordSearchLimit,
            stopAfterBodyContains: keyword,
            verifyTLS: target.verifyTLS,
            caBundlePath: caBundlePath,
            proxy: proxy,
            noProxy: noProxy,
            freshConnection: true,
            collectCertificateInfo: true,
            connectionGate: gate,
            resolveOverrides: resolveOverrides)
        do {
            let response = try await client.execute(request)
            return judge(response, target: target, keyword: keyword, checkedAt: checkedAt)
        } catch {
            if error.kind == .cancelled || error.kind == .shutdown { throw CancellationError() }
            var result = HTTPCheckResult(
                url: target.url, checkedAt: checkedAt, failure: failure(for: error, target: target),
                effectiveURL: error.effectiveURL)
            if case .certificateExpired = result.failure {
                let expiry = try await expiredCertificateDate(
                    error: error, target: target, gate: gate, budget: target.timeout - (ContinuousClock.now - started))
                result.failure = .certificateExpired(notAfter: expiry)
                result.certificateExpiry = expiry
            }
            logger.debug(
                "HTTP check failed",
                metadata: [
                    "url": "\(target.url)", "failure": "\(result.failure?.code ?? "")",
                    "curl": "\(error.message)",
                ])
            return result
        }
    }

    private func judge(_ response: HTTPResponse, target: HTTPCheckTarget, keyword: [UInt8]?, checkedAt: Date)
        -> HTTPCheckResult
    {
        var failure: CheckFailure?
        if !target.accepts(response.status) {
            // squid answers for an origin it could not reach; say what happened there, not "503".
            failure =
                response.headers["X-Squid-Error"].map { Self.squidFailure($0, host: Self.host(of: target.url)) }
                ?? .unexpectedStatus(response.status)
        } else if let keyword, let text = target.keyword {
            let found = response.body.firstRange(of: keyword) != nil
            if target.keywordAbsent, found {
                failure = .keywordPresent(keyword: text)
            } else if !target.keywordAbsent, !found {
                failure = .keywordMissing(keyword: text)
            }
        }
        return HTTPCheckResult(
            url: target.url, checkedAt: checkedAt, failure: failure, status: response.status,
            responseTime: response.timings.total, timings: response.timings,
            certificateExpiry: response.certificateExpiry,
            effectiveURL: response.effectiveURL, redirectCount: response.redirectCount,
            certificate: response.certificate)
    }

    /// An expired certificate fails the handshake before libcurl can show it; a second, unverified
    /// handshake with the same server reads its date (no body is read, nothing is trusted). It gets
    /// what is left of the check's time limit, so the whole check stays within `target.timeout`.
    private func expiredCertificateDate(
        error: CurlError, target: HTTPCheckTarget, gate: ConnectionGate?, budget: Duration
    ) async throws(CancellationError) -> Date? {
        guard budget > .milliseconds(50) else { return nil }
        let probe = HTTPRequest(
            method: "HEAD", url: error.effectiveURL ?? target.url, connectTimeout: min(target.connectTimeout, budget),
            timeout: budget,
            followRedirects: false, maxBodyBytes: 0, verifyTLS: false, proxy: proxy, noProxy: noProxy,
            freshConnection: true, collectCertificateInfo: true, connectionGate: gate,
            resolveOverrides: resolveOverrides)
        do {
            return try await client.execute(probe).certificateExpiry
        } catch {
            if error.kind == .cancelled || error.kind == .shutdown { throw CancellationError() }
            return nil
        }
    }
}

extension HTTPChecker {
    /// The same checks (proxy, CA bundle, policy) over another client, whose queue is its own.
    public func using(_ client: CurlHTTPClient) -> HTTPChecker {
        var copy = self
        copy.client = client
        return copy
    }
}
