import Checks
import Curl
import Foundation
import Logging

/// The real look at the monitor's own reachability: the canary targets (reachable when any
/// answers) and the check proxy, when one is configured (it must accept a connection).
///
/// The probe has HTTP slots and a libcurl client of its own: were it queued behind the checks, one
/// owner's hanging sites holding every slot would make it wait out their timeouts, or fail, and the
/// guard would misjudge the monitor as cut off (or see it late).
enum CanaryProbe {
    /// nil when there is nothing to look at: then the guard cannot tell and holds nothing.
    /// - Parameters:
    ///   - checker: the checks' checker (its pinger is shared; its HTTP slots and client are not).
    ///   - checksClient: used only if libcurl cannot give the probe a client of its own.
    static func make(
        canaries: [CheckTarget], proxy: String?, checker: TargetChecker, checksClient: CurlHTTPClient, logger: Logger
    ) -> ConnectivityGuard.Prober? {
        guard !canaries.isEmpty || proxy != nil else { return nil }
        // Every HTTP canary and the proxy at once: one probe runs at a time (the guard shares it).
        let slots = canaries.filter { $0.kind == .http }.count + 1
        let client: CurlHTTPClient
        do {
            client = try CurlHTTPClient(maxConcurrent: slots, logger: logger)
        } catch {
            logger.error("canaries share the checks' HTTP client: libcurl could not start one of their own: \(error)")
            client = checksClient
        }
        return probe(
            canaries: canaries, proxy: proxy, checker: checker.withOwnSlots(slots, client: client), client: client)
    }

    /// The probe over `checker` and `client` as given (the client the checker uses for HTTP).
    private static func probe(canaries: [CheckTarget], proxy: String?, checker: TargetChecker, client: CurlHTTPClient)
        -> ConnectivityGuard.Prober
    {
        return {
            async let proxyOK =
                proxy == nil ? true : proxyAnswers(proxy ?? "", client: client, timeout: checker.connectTimeout)
            var failed: [String] = []
            var canariesOK = true
            if !canaries.isEmpty, let results = try? await checker.check(canaries) {
                failed = results.filter { !$0.ok }.map(\.target.target)
                canariesOK = failed.count < canaries.count
            }
            let proxyReachable = await proxyOK
            return ConnectivityProbe(
                reachable: canariesOK && proxyReachable, failedCanaries: canariesOK ? [] : failed,
                proxyDown: proxyReachable ? nil : proxy.map(CredentialRedaction.url))
        }
    }

    /// Any HTTP answer from the proxy itself (squid answers a plain GET with an error page) shows
    /// it is up; only a failure to connect or to hear back counts against it.
    static func proxyAnswers(_ proxy: String, client: CurlHTTPClient, timeout: Duration) async -> Bool {
        let url = proxy.contains("://") ? proxy : "http://\(proxy)"
        // A SOCKS proxy cannot be asked over HTTP; the canaries still speak for it.
        guard url.lowercased().hasPrefix("http://") || url.lowercased().hasPrefix("https://") else { return true }
        let request = HTTPRequest(
            method: "HEAD", url: url, connectTimeout: timeout, timeout: timeout, followRedirects: false,
            maxBodyBytes: 0, proxy: .none, freshConnection: true)
        do {
            _ = try await client.execute(request)
            return true
        } catch {
            return error.kind == .cancelled || error.kind == .shutdown
        }
    }
}
