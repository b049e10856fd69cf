import Foundation

/// What one check looks at: a device (pinged over ICMP) or a site (fetched over HTTP).
public struct CheckTarget: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case icmp, http
    }

    public var kind: Kind
    /// An address or host name (ICMP), or an http(s) URL.
    public var target: String
    /// HTTP only: text the page must contain.
    public var keyword: String?
    /// The owner is an admin: the target policy lets them check loopback.
    public var ownerIsAdmin: Bool

    public init(kind: Kind, target: String, keyword: String? = nil, ownerIsAdmin: Bool = false) {
        self.kind = kind
        self.target = target
        self.keyword = keyword
        self.ownerIsAdmin = ownerIsAdmin
    }

    /// The kind written the way operators write lists (CLI arguments, CANARY_TARGETS): a URL
    /// contains "://", anything else is a host to ping.
    public static func guessing(_ text: String) -> CheckTarget {
        CheckTarget(kind: text.contains("://") ? .http : .icmp, target: text)
    }
}
