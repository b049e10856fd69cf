/// Why a TCP or DNS target as written was refused; the chat gives each case its own message.
public enum NetworkTargetError: Error, Sendable, Hashable {
    /// The host (or DNS server) is neither an address nor a host name.
    case invalidHost
    /// No ":port" after the host.
    case missingPort
    /// A port outside 1–65535, or not a number.
    case invalidPort
    /// The DNS name contains spaces.
    case nameHasSpaces
    /// The DNS name has an empty label ("a..b", a leading dot).
    case emptyLabel
    /// The DNS name is not a name (a label over 63 bytes, over 253 in all, odd characters).
    case invalidName
    /// `type=` other than A, AAAA, CNAME, MX, TXT.
    case unknownRecordType(String)
    /// `rcode=` other than the names `DNSResponseCode` knows.
    case unknownResponseCode(String)
    /// `match=` other than contains or equals.
    case unknownMatch(String)
    /// A query parameter this kind does not take.
    case unknownParameter(String)
    /// A parameter given twice, given empty, or with a broken %-escape.
    case invalidParameter(String)
    /// `send=` longer than `TCPTarget.maxSendBytes`.
    case sendTooLong(limit: Int)
    /// `expect=` longer than `maxExpectBytes`.
    case expectTooLong(limit: Int)
    /// A DNS target needs a path with the name: `dns:///name` or `dns://server/name`.
    case missingName
}

extension NetworkTargetError: CustomStringConvertible {
    /// One English line for the CLI and logs (the chat words each case itself, Russian first).
    public var description: String {
        switch self {
        case .invalidHost: "the host is neither an IP address nor a host name"
        case .missingPort: "no port: write host:port, e.g. tcp://server.local:443"
        case .invalidPort: "the port must be 1 to 65535"
        case .nameHasSpaces: "a DNS name cannot contain spaces"
        case .emptyLabel: "the DNS name has an empty label (two dots in a row, or a leading dot)"
        case .invalidName: "not a DNS name (labels of letters, digits and hyphens, 63 bytes each, 253 in all)"
        case .unknownRecordType(let type): "record type \(type) is not supported (A, AAAA, CNAME, MX, TXT)"
        case .unknownResponseCode(let code):
            "response code \(code) is unknown (NOERROR, NXDOMAIN, SERVFAIL, REFUSED, FORMERR, NOTIMP)"
        case .unknownMatch(let match): "match \(match) is unknown (contains, equals)"
        case .unknownParameter(let name): "parameter \(name) is not used by this kind"
        case .invalidParameter(let name): "parameter \(name) is empty, repeated or has a broken %-escape"
        case .sendTooLong(let limit): "the send text is longer than \(limit) bytes"
        case .expectTooLong(let limit): "the expected text is longer than \(limit) bytes"
        case .missingName: "no name: write dns:///name (system resolver) or dns://server/name"
        }
    }
}
