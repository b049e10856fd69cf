import Foundation
import Storage
import Targets

/// Why a typed address was refused; each case has its own message for the user.
public enum TargetError: Error, Equatable, Sendable {
    case empty, tooLong, invisibleCharacters, invalidIPv4, invalidHost, unsupportedScheme, missingHost, credentials,
        invalidURL, invalidPort
}

/// Turns what a user typed into a monitor target: an IP address or host name for ICMP, an http(s) URL for HTTP.
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
        if text.contains(":") {
            let bare = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
            guard isIPv6(bare) else { throw .invalidHost }
            return bare.lowercased()
        }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        if let last = labels.last, !last.isEmpty, last.allSatisfy(\.isASCII), last.allSatisfy(\.isNumber) {
            // Ends in a number: it must be a dotted IPv4 address (999.1.1.1 is not a host name either).
            guard isIPv4(text) else { throw .invalidIPv4 }
            return text
        }
        var host = text.lowercased()
        if host.hasSuffix(".") { host.removeLast() }
        guard isHostName(host) else { throw .invalidHost }
        return host
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

    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                // No leading zeros: "010" means octal to some tools and decimal to others.
                guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(part),
                    n <= 255
                else { return false }
                return part.count == 1 || part.first != "0"
            }
    }

    static func isIPv6(_ text: String) -> Bool {
        var address = in6_addr()
        return text.count <= 45 && inet_pton(AF_INET6, text, &address) == 1
    }

    static func isHostName(_ host: String) -> Bool {
        guard (1...253).contains(host.utf8.count) else { return false }
        return host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 95 }
        }
    }

    /// A display name: 1–64 characters, no control or invisible characters.
    public static func parseName(_ raw: String) -> String? {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...64).contains(name.count), !name.unicodeScalars.contains(where: isInvisible) else { return nil }
        return name
    }
}
