/// A TCP port to connect to, as written `tcp://host:port?send=…&expect=…` (or just `host:port`,
/// `[v6]:port`): up when the connection opens within the timeout and, with `expect`, the reply
/// (after `send`, if given) contains that text. Values are %-escaped, so `send` may hold CR/LF (`%0D%0A`).
public struct TCPTarget: Sendable, Hashable, CustomStringConvertible {
    public static let scheme = "tcp"
    /// A protocol greeting fits; a longer text is refused rather than cut.
    public static let maxSendBytes = 512
    public static let maxExpectBytes = 256

    /// An address or host name, lowercased, IPv6 without brackets.
    public var host: String
    public var port: Int
    /// Bytes to write once connected (UTF-8).
    public var send: String?
    /// Text the reply must contain (compared byte for byte).
    public var expect: String?

    public init(host: String, port: Int, send: String? = nil, expect: String? = nil) {
        self.host = host
        self.port = port
        self.send = send
        self.expect = expect
    }

    /// Parses the target as a user or operator wrote it (surrounding whitespace already trimmed).
    public init(parsing text: String) throws(NetworkTargetError) {
        var rest = Substring(text)
        if let range = rest.range(of: "://") {
            guard rest[..<range.lowerBound].lowercased() == Self.scheme else { throw .invalidHost }
            rest = rest[range.upperBound...]
        }
        let query: Substring
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        } else {
            query = ""
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.contains(" "), !rest.contains("/") else { throw .invalidHost }
        let (hostText, portText) = try TargetQuery.hostAndPort(rest)
        let host = try TargetQuery.host(hostText)
        guard let portText else { throw .missingPort }
        let port = try TargetQuery.port(portText)
        let values = try TargetQuery.parse(query, allowed: ["send", "expect"])
        if let send = values["send"], send.utf8.count > Self.maxSendBytes {
            throw .sendTooLong(limit: Self.maxSendBytes)
        }
        if let expect = values["expect"], expect.utf8.count > Self.maxExpectBytes {
            throw .expectTooLong(limit: Self.maxExpectBytes)
        }
        self.init(host: host, port: port, send: values["send"], expect: values["expect"])
    }

    /// The one stored and shown form: `tcp://host:port`, then `?send=…&expect=…` when set.
    public var description: String {
        "\(Self.scheme)://\(HostSyntax.bracketed(host)):\(port)"
            + TargetQuery.render([("send", send), ("expect", expect)])
    }

    /// `host:port` or `[v6]:port` without a scheme: what `TargetKind.guess` takes for a TCP port.
    static func looksLikeHostAndPort(_ text: String) -> Bool {
        let bare = text.split(separator: "?", maxSplits: 1).first ?? ""
        guard !bare.contains(" "), let (host, port) = try? TargetQuery.hostAndPort(bare), let port, !host.isEmpty
        else { return false }
        return !port.isEmpty && port.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
