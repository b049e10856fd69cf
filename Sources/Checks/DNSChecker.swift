import DNS
import ICMP
import Targets

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Checks DNS names through c-ares (`DNSQueryLoop`): one query to the target's server (or the
/// system resolver), its RCODE and answers compared with what the target expects.
///
/// A server given by the user is a target like any other: the policy judges its address (a name is
/// resolved here first) and the query goes to that address. The system resolver is the operator's
/// own configuration and is not judged.
public struct DNSChecker: Sendable {
    /// Answers quoted in a failure, at most (the rest is cut).
    static let quotedAnswers = 200

    private let loop: Result<DNSQueryLoop, DNSLoopError>
    let resolver: HostResolver
    var policy: TargetPolicy?

    public init(
        loop: Result<DNSQueryLoop, DNSLoopError> = DNSQueryLoop.shared, resolver: HostResolver = HostResolver(),
        policy: TargetPolicy? = nil
    ) {
        self.loop = loop
        self.resolver = resolver
        self.policy = policy
    }

    /// Checks once within `timeout`; a failing name is a result, only cancellation throws.
    public func check(_ target: CheckTarget, timeout: Duration) async throws(CancellationError) -> TargetCheckResult {
        let result = TargetCheckResult.timing(target)
        let name: DNSTarget
        do { name = try DNSTarget(parsing: target.target) } catch {
            return result(.invalidTarget(reason: "\(error)"))
        }
        let loop: DNSQueryLoop
        switch self.loop {
        case .success(let running): loop = running
        case .failure(let error): return result(.other("DNS checks are not available: \(error)"))
        }
        let server: String?
        switch await serverAddress(name, ownerIsAdmin: target.ownerIsAdmin) {
        case .success(let address): server = address
        case .failure(let failure): return result(failure)
        }
        let answer = await loop.query(name.name, type: name.type.code, server: server, timeout: timeout)
        if Task.isCancelled || answer == .cancelled { throw CancellationError() }
        return result(Self.verdict(answer, for: name))
    }

    /// "address:port" of the target's server, judged by the policy; nil for the system resolver.
    private func serverAddress(_ name: DNSTarget, ownerIsAdmin: Bool) async -> Result<String?, CheckFailure> {
        guard let server = name.server else { return .success(nil) }
        guard case .success(let addresses) = await resolver.addresses(of: server), let first = addresses.first else {
            return .failure(.dnsFailure(host: server))
        }
        if let policy {
            guard let judged = IPBytes(first) else {
                return .failure(.deniedByPolicy(reason: "\(first) cannot be judged by the target policy"))
            }
            let host = IPBytes(server) == nil ? server : nil
            if let refusal = policy.refusal(address: judged, host: host, ownerIsAdmin: ownerIsAdmin) {
                return .failure(.deniedByPolicy(reason: refusal.description))
            }
        }
        return .success(HostSyntax.bracketed(first) + ":\(name.port ?? 53)")
    }

    /// Nil when the answer is what the target expects.
    static func verdict(_ answer: DNSAnswer, for name: DNSTarget) -> CheckFailure? {
        switch answer {
        case .timeout: return .timeout
        case .refused: return .refused
        case .cancelled: return .other("cancelled")
        case .failed(let reason): return .connectionFailed(reason: reason)
        case .answered(let rcode, let records):
            guard rcode == name.rcode.code else {
                let received = DNSResponseCode(code: rcode)?.rawValue ?? "RCODE \(rcode)"
                return .dnsResponseCode(expected: name.rcode.rawValue, received: received)
            }
            guard name.rcode == .noError else { return nil }
            guard let expected = name.expect else {
                return records.isEmpty ? .dnsNoRecords(type: name.type.rawValue) : nil
            }
            if records.contains(where: { matches($0, expected, name.match) }) { return nil }
            let quoted = String(records.joined(separator: ", ").prefix(quotedAnswers))
            return .dnsAnswerMismatch(expected: expected, received: quoted)
        }
    }

    /// Names and addresses compare without regard to case; a final dot on either side is ignored.
    static func matches(_ record: String, _ expected: String, _ match: DNSAnswerMatch) -> Bool {
        func normalized(_ text: String) -> String {
            let lowered = text.lowercased()
            return lowered.hasSuffix(".") ? String(lowered.dropLast()) : lowered
        }
        switch match {
        case .contains: return normalized(record).contains(normalized(expected))
        case .equals: return normalized(record) == normalized(expected)
        }
    }
}
