import Foundation
import Testing

@testable import ICMP

/// One owner's failing names must not cost every batch a lookup again.
struct HostResolverTests {
    @Test func aFailedLookupIsCachedSoTheNextBatchDoesNotLookItUpAgain() async {
        let resolver = HostResolver(ttl: .seconds(60))
        let first = await resolver.resolve(["no-such-host.invalid", "127.0.0.1"], v4: true, v6: true)
        let second = await resolver.resolve(["no-such-host.invalid"], v4: true, v6: true)
        guard case .resolveFailed(host: "no-such-host.invalid", _)? = second.first?.error else {
            Issue.record("expected a cached resolve error, got \(String(describing: second.first?.error))")
            return
        }
        #expect(first.first?.error == second.first?.error)
        #expect(resolver.lookups.load(ordering: .relaxed) == 1)
        #expect(first.last?.address != nil, "an address literal needs no lookup")
    }
}
