/// What one DNS query came back with.
public enum DNSAnswer: Sendable, Hashable {
    /// The server answered: its RCODE and the answer records of the asked type, as text
    /// (A/AAAA the address, CNAME the name, MX "10 mx.example.org", TXT the record's strings joined).
    case answered(rcode: Int, records: [String])
    /// No answer within the query's deadline.
    case timeout
    /// The server could not be asked (ICMP port unreachable: nothing listens there).
    case refused
    /// Anything else c-ares reports (a malformed reply, out of memory, the loop stopped); its message.
    case failed(String)
    case cancelled
}

/// Why the query loop could not start.
public struct DNSLoopError: Error, Sendable, CustomStringConvertible {
    public var description: String
}
