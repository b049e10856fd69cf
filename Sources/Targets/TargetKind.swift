/// What a monitor or a check looks at: a device, pinged over ICMP, or a site, fetched over HTTP.
/// Stored as its raw value in MongoDB and in conversation state.
public enum TargetKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// A device: an IP address or host name, pinged over ICMP.
    case icmp
    /// A site: an http(s) URL, fetched with GET.
    case http

    /// The kind of a target as written, the one rule the chat, the `check` command and
    /// CANARY_TARGETS share: a URL contains "://", anything else is a host to ping.
    public static func guess(_ text: String) -> TargetKind {
        text.contains("://") ? .http : .icmp
    }
}
