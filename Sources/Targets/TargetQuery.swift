import Foundation

/// The `?key=value&…` part of a TCP or DNS target: %-escapes decoded on the way in (so a send text
/// may hold CR/LF as %0D%0A), written back escaped, keys in a fixed order.
enum TargetQuery {
    /// The parameters of `query` (without the "?"); a key given twice, empty, unknown or badly escaped is refused.
    static func parse(_ query: Substring, allowed: Set<String>) throws(NetworkTargetError) -> [String: String] {
        var values: [String: String] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0]).lowercased()
            guard allowed.contains(key) else { throw .unknownParameter(String(parts[0].prefix(32))) }
            guard parts.count == 2, !parts[1].isEmpty, values[key] == nil,
                let value = String(parts[1]).removingPercentEncoding,
                !value.isEmpty
            else { throw .invalidParameter(key) }
            values[key] = value
        }
        return values
    }

    /// "key=value&…" for the pairs whose value is set, in the order given.
    static func render(_ pairs: [(String, String?)]) -> String {
        let rendered = pairs.compactMap { key, value in value.map { "\(key)=\(escape($0))" } }
        return rendered.isEmpty ? "" : "?" + rendered.joined(separator: "&")
    }

    /// Unreserved characters stay as they are; everything else (spaces, CR/LF, "&", "=", "+", "%") is escaped.
    static func escape(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: "\u{0}"..."\u{7F}"))
        allowed.insert(charactersIn: "-._~:/@!$'()*,;")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// A port as written after the host: 1–65535, digits only.
    static func port(_ text: Substring) throws(NetworkTargetError) -> Int {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(text),
            (1...65535).contains(port)
        else { throw .invalidPort }
        return port
    }

    /// Splits "host:port" or "[v6]:port"; the port is nil when there is none.
    static func hostAndPort(_ text: Substring) throws(NetworkTargetError) -> (host: String, port: Substring?) {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .invalidHost }
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard !rest.isEmpty else { return (host, nil) }
            guard rest.hasPrefix(":") else { throw .invalidHost }
            return (host, rest.dropFirst())
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return (String(text), nil)
        case 2: return (String(parts[0]), parts[1])
        // A bare IPv6 address: there is no telling its last group from a port.
        default: throw .invalidHost
        }
    }

    /// The host normalised by `HostSyntax`, or the error of a TCP or DNS target.
    static func host(_ text: String) throws(NetworkTargetError) -> String {
        guard !text.isEmpty, case .success(let host) = HostSyntax.parse(text) else { throw .invalidHost }
        return host
    }
}
