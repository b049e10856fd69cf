/// What a monitor or a check looks at: a device pinged over ICMP, a site fetched over HTTP, a TCP
/// port (optionally with a banner), or a DNS name resolved on a server.
/// Stored as its raw value in MongoDB and in conversation state.
public enum TargetKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// A device: an IP address or host name, pinged over ICMP.
    case icmp
    /// A site: an http(s) URL, fetched with GET.
    case http
    /// A TCP port: `tcp://host:port?send=…&expect=…` (see `TCPTarget`).
    case tcp
    /// A DNS name: `dns://server/name?type=A&expect=…` (see `DNSTarget`).
    case dns

    /// The kind of a target as written, the one rule the chat, the `check` command and
    /// CANARY_TARGETS share: `tcp://` and `dns://` name their kind, any other "://" is a site,
    /// `host:port` or `[v6]:port` is a TCP port, anything else is a host to ping.
    public static func guess(_ text: String) -> TargetKind {
        let lowered = text.lowercased()
        if lowered.hasPrefix(TCPTarget.scheme + "://") { return .tcp }
        if lowered.hasPrefix(DNSTarget.scheme + "://") { return .dns }
        if text.contains("://") { return .http }
        return TCPTarget.looksLikeHostAndPort(text) ? .tcp : .icmp
    }
}
