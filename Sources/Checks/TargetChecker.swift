import Curl
import ICMP

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Checks targets of every kind: ICMP targets together in one paced pinger call, HTTP, TCP and DNS
/// targets each on its own with at most `httpLimit` (HTTP) or `networkLimit` (TCP and DNS) in flight.
/// A hanging target holds one slot until its timeout and never the pings or the other kinds.
public struct TargetChecker: Sendable {
    public let pinger: ICMPPinger?
    /// Why there is no pinger (`ICMPSocketError`'s one-line instruction); ICMP targets fail with it.
    public let pingUnavailable: String?
    public private(set) var http: HTTPChecker
    public private(set) var tcp: TCPChecker
    public private(set) var dns: DNSChecker
    public let pingOptions: PingOptions
    /// Connect and total limits of one HTTP check.
    public let connectTimeout: Duration
    public let httpTimeout: Duration
    public private(set) var httpLimit: ConcurrencyLimit
    /// TCP and DNS checks in flight (each within `connectTimeout`, the whole check).
    public private(set) var networkLimit: ConcurrencyLimit
    /// TARGET_ALLOW / TARGET_DENY for pings (HTTPChecker enforces its own, the same value); nil pings anything.
    public private(set) var policy: TargetPolicy?

    public init(
        pinger: ICMPPinger?, pingUnavailable: String? = nil, http: HTTPChecker, policy: TargetPolicy? = nil,
        pingOptions: PingOptions = PingOptions(),
        connectTimeout: Duration = .seconds(10), httpTimeout: Duration = .seconds(30), maxConcurrentHTTP: Int = 200,
        tcp: TCPChecker? = nil, dns: DNSChecker? = nil, maxConcurrentNetwork: Int = 1000
    ) {
        self.pinger = pinger
        self.pingUnavailable = pingUnavailable
        self.http = http
        // By default on the HTTP checker's resolver and the same policy: one resolver, one policy for every kind.
        self.tcp = tcp ?? TCPChecker(resolver: http.resolver, policy: policy)
        self.dns = dns ?? DNSChecker(resolver: http.resolver, policy: policy)
        self.policy = policy
        self.pingOptions = pingOptions
        self.connectTimeout = min(connectTimeout, httpTimeout)
        self.httpTimeout = httpTimeout
        self.httpLimit = ConcurrencyLimit(limit: maxConcurrentHTTP)
        self.networkLimit = ConcurrencyLimit(limit: maxConcurrentNetwork)
    }

    /// Checks every target, of every kind at the same time; results in the order of `targets`.
    public func check(_ targets: [CheckTarget]) async throws(CancellationError) -> [TargetCheckResult] {
        let icmp = targets.enumerated().filter { $0.element.kind == .icmp }
        let others = targets.enumerated().filter { $0.element.kind != .icmp }
        var results = [TargetCheckResult?](repeating: nil, count: targets.count)
        await withTaskGroup(of: [(Int, TargetCheckResult)].self) { group in
            group.addTask {
                guard let pinged = try? await ping(icmp.map(\.element)) else { return [] }
                return zip(icmp.map(\.offset), pinged).map { ($0, $1) }
            }
            for (index, target) in others {
                group.addTask {
                    guard let result = try? await checkOne(target) else { return [] }
                    return [(index, result)]
                }
            }
            for await batch in group {
                for (index, result) in batch { results[index] = result }
            }
        }
        try Self.checkCancellation()
        return results.enumerated().map { index, result in
            result ?? TargetCheckResult(target: targets[index], checkedAt: Date(), failure: .other("not checked"))
        }
    }

    /// Pings the targets; results in the same order. Targets that need more echo requests than
    /// PING_PROBES (a packet-loss threshold) go in a second call of their own, at the same time.
    public func ping(_ targets: [CheckTarget]) async throws(CancellationError) -> [TargetCheckResult] {
        let probes = pingOptions.probes
        let more = targets.indices.filter { (targets[$0].minimumProbes ?? 0) > probes }
        guard !more.isEmpty else { return try await pingTogether(targets, options: pingOptions) }
        let moreSet = Set(more)
        let usual = targets.indices.filter { !moreSet.contains($0) }
        var options = pingOptions
        options.probes = more.map { targets[$0].minimumProbes ?? probes }.max() ?? probes
        // Typed throws do not pass through `async let`: a nil here is the cancellation.
        async let usualResults = try? pingTogether(usual.map { targets[$0] }, options: pingOptions)
        let moreResults = try await pingTogether(more.map { targets[$0] }, options: options)
        guard let usualPinged = await usualResults else { throw CancellationError() }
        var results = [TargetCheckResult?](repeating: nil, count: targets.count)
        for (index, result) in zip(more, moreResults) { results[index] = result }
        for (index, result) in zip(usual, usualPinged) { results[index] = result }
        return results.enumerated().map { index, result in
            result ?? TargetCheckResult(target: targets[index], checkedAt: Date(), failure: .other("not checked"))
        }
    }

    private func pingTogether(_ targets: [CheckTarget], options: PingOptions) async throws(CancellationError)
        -> [TargetCheckResult]
    {
        guard !targets.isEmpty else { return [] }
        let checkedAt = Date()
        guard let pinger else {
            let reason = pingUnavailable ?? "ICMP is not available"
            return targets.map { TargetCheckResult(target: $0, checkedAt: checkedAt, failure: .other(reason)) }
        }
        let answers = await pinger.ping(targets.map(\.target), options: options, admission: admission(for: targets))
        // A cancelled or stopped pinger says nothing about the targets: never report it as an outage.
        if answers.contains(where: { $0.error == .cancelled || $0.error == .shutdown }) { throw CancellationError() }
        try Self.checkCancellation()
        return zip(targets, answers).map { TargetCheckResult(ping: $1, target: $0, checkedAt: checkedAt) }
    }

    /// Checks one target that is not pinged (a site, a TCP port, a DNS name), waiting for a free slot first.
    public func checkOne(_ target: CheckTarget) async throws(CancellationError) -> TargetCheckResult {
        switch target.kind {
        case .http: return try await checkHTTP(target)
        case .tcp, .dns:
            try await networkLimit.acquire()
            defer { networkLimit.release() }
            return target.kind == .tcp
                ? try await tcp.check(target, timeout: connectTimeout)
                : try await dns.check(target, timeout: connectTimeout)
        case .icmp:
            guard let result = try await ping([target]).first else { throw CancellationError() }
            return result
        }
    }

    /// Checks one site, waiting for a free slot first. A watchdog ends a check that outlives its
    /// own limits (a redirect chain, the expired-certificate probe): it counts as a timeout.
    public func checkHTTP(_ target: CheckTarget) async throws(CancellationError) -> TargetCheckResult {
        try await httpLimit.acquire()
        defer { httpLimit.release() }
        // The monitor's own timeout never exceeds the operator's (CHECK_TIMEOUT).
        let timeout = target.http.timeout.map { min(max($0, .seconds(1)), httpTimeout) } ?? httpTimeout
        var built = HTTPCheckTarget(
            url: target.target, keyword: target.keyword, connectTimeout: min(connectTimeout, timeout),
            timeout: timeout)
        built.acceptedStatuses = target.http.expectedStatus
        built.keywordAbsent = target.http.keywordAbsent
        built.method = target.http.method
        if let header = target.http.header { built.headers = HTTPHeaders([(header.name, header.value)]) }
        let request = built
        let watchdog = timeout * 2 + .seconds(5)
        let started = Date()
        enum Outcome: Sendable {
            case checked(HTTPCheckResult)
            case overdue
            case cancelled
        }
        let outcome = await withTaskGroup(of: Outcome.self) { group in
            group.addTask {
                do { return .checked(try await http.check(request, ownerIsAdmin: target.ownerIsAdmin)) } catch {
                    return .cancelled
                }
            }
            group.addTask {
                do {
                    try await Task.sleep(for: watchdog)
                    return .overdue
                } catch {
                    return .cancelled
                }
            }
            let first = await group.next() ?? .cancelled
            group.cancelAll()
            return first
        }
        switch outcome {
        case .checked(let result):
            return TargetCheckResult(http: result, target: target)
        case .overdue:
            return TargetCheckResult(
                target: target, checkedAt: started, failure: .timeout,
                responseTime: .seconds(Date().timeIntervalSince(started)))
        case .cancelled:
            throw CancellationError()
        }
    }

    /// The same checker (sharing its concurrency limit) without the target policy, for the
    /// operator's own targets: CANARY_TARGETS must say whether the network is there, whatever users may check.
    public func ignoringPolicy() -> TargetChecker {
        var copy = self
        copy.policy = nil
        copy.http.policy = nil
        copy.tcp.policy = nil
        copy.dns.policy = nil
        return copy
    }

    /// The same checker with HTTP, TCP and DNS slots and a libcurl client of its own (pings are shared:
    /// a ping batch waits for no slot), so its checks never queue behind this one's. For the canaries: a pool
    /// full of one owner's hanging sites must not make the monitor believe it is cut off.
    public func withOwnSlots(_ limit: Int, client: CurlHTTPClient) -> TargetChecker {
        var copy = self
        copy.httpLimit = ConcurrencyLimit(limit: limit)
        copy.networkLimit = ConcurrencyLimit(limit: limit)
        copy.http = http.using(client)
        return copy
    }

    /// The policy judging each resolved address before a packet goes out (no packet reaches a denied one).
    private func admission(for targets: [CheckTarget]) -> (@Sendable (Int, String) -> String?)? {
        guard let policy else { return nil }
        return { index, address in
            guard targets.indices.contains(index), let resolved = IPBytes(address) else {
                return "\(address) cannot be judged by the target policy"
            }
            let target = targets[index]
            let host = IPBytes(target.target) == nil ? target.target : nil
            return policy.refusal(address: resolved, host: host, ownerIsAdmin: target.ownerIsAdmin)?.description
        }
    }

    private static func checkCancellation() throws(CancellationError) {
        if Task.isCancelled { throw CancellationError() }
    }
}
