import Foundation
import Storage
import Targets

/// Why a typed address was refused; each case has its own message for the user.
public enum TargetError: Error, Equatable, Sendable {
    case empty, tooLong, invisibleCharacters, invalidIPv4, invalidHost, unsupportedScheme, missingHost, credentials,
        invalidURL, invalidPort
    /// A TCP or DNS target that does not parse; the reason is the Targets module's.
    case network(NetworkTargetError)
}

/// Turns what a user typed into a monitor target: an IP address or host name for ICMP, an http(s) URL for HTTP,
/// `tcp://host:port` for a TCP port, `dns://server/name` for a DNS name (the last two parsed by the Targets module).
public enum TargetParser {
    static let maxLength = 2000

    public static func parse(_ raw: String, as kind: TargetKind) throws(TargetError) -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw .empty }
        guard text.count <= maxLength else { throw .tooLong }
        guard !text.unicodeScalars.contains(where: isInvisible) else { throw .invisibleCharacters }
        switch kind {
        case .icmp: return try parseHost(text)
        case .http: return try parseURL(text)
        case .tcp, .dns: return try parseNetwork(text, as: kind)
        }
    }

    /// Zero-width, direction and other format characters: they make two identical-looking addresses differ.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .format, .control, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    /// An IPv4 address, an IPv6 address, or a host name (letters, digits, hyphens; internal short names allowed).
    public static func parseHost(_ text: String) throws(TargetError) -> String {
        switch HostSyntax.parse(text) {
        case .success(let host): return host
        case .failure(.invalidIPv4): throw .invalidIPv4
        case .failure(.invalidHost): throw .invalidHost
        }
    }

    /// A TCP port (`tcp://host:port?send=…&expect=…`, or `host:port`) or a DNS name (`dns://server/name?…`,
    /// or a bare name for the system resolver), in the one stored form.
    static func parseNetwork(_ text: String, as kind: TargetKind) throws(TargetError) -> String {
        do {
            return kind == .tcp ? try TCPTarget(parsing: text).description : try DNSTarget(parsing: text).description
        } catch {
            throw .network(error)
        }
    }

    public static func parseURL(_ text: String) throws(TargetError) -> String {
        var candidate = text
        if !candidate.contains("://") { candidate = "https://" + candidate }
        guard let scheme = candidate.split(separator: ":", maxSplits: 1).first?.lowercased(),
            ["http", "https"].contains(scheme)
        else {
            throw .unsupportedScheme
        }
        guard !candidate.contains(where: { $0 == " " || $0 == "\\" }), let components = URLComponents(string: candidate)
        else { throw .invalidURL }
        if components.user != nil || components.password != nil { throw .credentials }
        guard let host = components.host, !host.isEmpty else { throw .missingHost }
        if let port = components.port, !(1...65535).contains(port) { throw .invalidPort }
        let bareHost = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        do { _ = try parseHost(bareHost.contains(":") ? "[\(bareHost)]" : bareHost) } catch { throw .invalidURL }
        var normalized = components
        normalized.scheme = scheme
        normalized.host = host.lowercased()
        guard let url = normalized.string else { throw .invalidURL }
        return url
    }

    /// A display name: 1–64 characters, no control or invisible characters.
    public static func parseName(_ raw: String) -> String? {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...64).contains(name.count), !name.unicodeScalars.contains(where: isInvisible) else { return nil }
        return name
    }
}
