import Foundation

/// A DNS name to resolve, as written `dns://server[:port]/name?type=A&expect=…&match=contains&rcode=NOERROR`;
/// `dns:///name` (no server) asks the system resolver (/etc/resolv.conf, the DMZ's DNS). Up when the
/// answer's RCODE is the expected one (NOERROR unless `rcode=` says otherwise) and, with `expect`, an
/// answer record matches it. Answers read as: A/AAAA the address, CNAME the name, MX "10 mx.example.org",
/// TXT the strings joined.
public struct DNSTarget: Sendable, Hashable, CustomStringConvertible {
    public static let scheme = "dns"
    public static let maxExpectBytes = 256

    /// The server's address or host name; nil asks the system resolver.
    public var server: String?
    /// Nil: port 53.
    public var port: Int?
    /// Lowercased, without the final dot.
    public var name: String
    public var type: DNSRecordType
    public var expect: String?
    public var match: DNSAnswerMatch
    public var rcode: DNSResponseCode

    public init(
        server: String? = nil, port: Int? = nil, name: String, type: DNSRecordType = .a, expect: String? = nil,
        match: DNSAnswerMatch = .contains, rcode: DNSResponseCode = .noError
    ) {
        self.server = server
        self.port = port
        self.name = name
        self.type = type
        self.expect = expect
        self.match = match
        self.rcode = rcode
    }

    /// Parses the target as written; a bare name (no "://") is a name for the system resolver.
    public init(parsing text: String) throws(NetworkTargetError) {
        var rest = Substring(text)
        if let range = rest.range(of: "://") {
            guard rest[..<range.lowerBound].lowercased() == Self.scheme else { throw .invalidHost }
            rest = rest[range.upperBound...]
        } else {
            rest = "/" + rest
        }
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let slash = rest.firstIndex(of: "/") else { throw .missingName }
        let authority = rest[..<slash]
        let nameText = rest[rest.index(after: slash)...]
        var server: String?
        var port: Int?
        if !authority.isEmpty {
            guard !authority.contains(" ") else { throw .invalidHost }
            let (host, portText) = try TargetQuery.hostAndPort(authority)
            server = try TargetQuery.host(host)
            port = try portText.map(TargetQuery.port)
        }
        let name = try Self.name(nameText)
        let values = try TargetQuery.parse(query, allowed: ["type", "expect", "match", "rcode"])
        let type = try values["type"].map { text throws(NetworkTargetError) in
            guard let type = DNSRecordType(rawValue: text.uppercased()) else {
                throw .unknownRecordType(String(text.prefix(16)))
            }
            return type
        }
        let match = try values["match"].map { text throws(NetworkTargetError) in
            guard let match = DNSAnswerMatch(rawValue: text.lowercased()) else {
                throw .unknownMatch(String(text.prefix(16)))
            }
            return match
        }
        let rcode = try values["rcode"].map { text throws(NetworkTargetError) in
            guard let rcode = DNSResponseCode(rawValue: text.uppercased()) else {
                throw .unknownResponseCode(String(text.prefix(16)))
            }
            return rcode
        }
        if let expect = values["expect"], expect.utf8.count > Self.maxExpectBytes {
            throw .expectTooLong(limit: Self.maxExpectBytes)
        }
        self.init(
            server: server, port: port, name: name, type: type ?? .a, expect: values["expect"],
            match: match ?? .contains, rcode: rcode ?? .noError)
    }

    /// The one stored and shown form: the type always, the other parameters when not the default.
    public var description: String {
        let authority = server.map { HostSyntax.bracketed($0) + (port.map { ":\($0)" } ?? "") } ?? ""
        return "\(Self.scheme)://\(authority)/\(name)"
            + TargetQuery.render([
                ("type", type.rawValue), ("expect", expect), ("match", match == .contains ? nil : match.rawValue),
                ("rcode", rcode == .noError ? nil : rcode.rawValue),
            ])
    }

    /// "server:port" as c-ares takes it (`ares_set_servers_ports_csv`), nil for the system resolver.
    public var serverAddress: String? {
        server.map { "\(HostSyntax.bracketed($0)):\(port ?? 53)" }
    }

    /// A DNS name: no spaces, no empty label, labels of 1–63 bytes, 253 in all; one final dot allowed.
    static func name(_ text: Substring) throws(NetworkTargetError) -> String {
        let decoded = String(text).removingPercentEncodingIfValid
        guard !decoded.isEmpty else { throw .missingName }
        guard !decoded.contains(where: \.isWhitespace) else { throw .nameHasSpaces }
        var name = decoded.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        guard !name.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) else {
            throw .emptyLabel
        }
        guard HostSyntax.isHostName(name) else { throw .invalidName }
        return name
    }
}

extension String {
    /// %-escapes decoded ("%20" is a space, refused as such); text with a broken escape stays as it is.
    fileprivate var removingPercentEncodingIfValid: String { removingPercentEncoding ?? self }
}
