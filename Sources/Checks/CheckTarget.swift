import Foundation
import Targets

/// What one check looks at: a device (pinged over ICMP) or a site (fetched over HTTP).
public struct CheckTarget: Sendable, Hashable {
    public var kind: TargetKind
    /// An address or host name (ICMP), or an http(s) URL.
    public var target: String
    /// HTTP only: text the page must contain.
    public var keyword: String?
    /// The owner is an admin: the target policy lets them check loopback.
    public var ownerIsAdmin: Bool
    /// HTTP only: method, header, expected statuses, keyword absent, the monitor's own timeout.
    public var http: HTTPOptions
    /// ICMP only: echo requests this check needs at least (a packet-loss threshold needs several).
    public var minimumProbes: Int?

    public init(
        kind: TargetKind, target: String, keyword: String? = nil, ownerIsAdmin: Bool = false,
        http: HTTPOptions = HTTPOptions(), minimumProbes: Int? = nil
    ) {
        self.kind = kind
        self.target = target
        self.keyword = keyword
        self.ownerIsAdmin = ownerIsAdmin
        self.http = http
        self.minimumProbes = minimumProbes
    }

    /// A target as operators write it in lists (CLI arguments, CANARY_TARGETS), its kind guessed.
    public static func guessing(_ text: String) -> CheckTarget {
        CheckTarget(kind: .guess(text), target: text)
    }
}
