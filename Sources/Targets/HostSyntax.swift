#if canImport(Glibc)
    import Glibc
#endif

/// What an address or host name may look like; the chat's parser and the TCP and DNS targets share it.
public enum HostSyntax {
    public enum Problem: Error, Sendable, Hashable {
        /// Ends in a number but is no dotted IPv4 address (999.1.1.1).
        case invalidIPv4
        case invalidHost
    }

    /// An IPv4 address, an IPv6 address (bare or in brackets), or a host name (letters, digits,
    /// hyphens, underscores; internal short names allowed), normalised: lowercased, no brackets, no final dot.
    public static func parse(_ text: String) -> Result<String, Problem> {
        if text.contains(":") {
            let bare = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
            return isIPv6(bare) ? .success(bare.lowercased()) : .failure(.invalidHost)
        }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        if let last = labels.last, !last.isEmpty, last.allSatisfy(\.isASCII), last.allSatisfy(\.isNumber) {
            // Ends in a number: it must be a dotted IPv4 address (999.1.1.1 is not a host name either).
            return isIPv4(text) ? .success(text) : .failure(.invalidIPv4)
        }
        var host = text.lowercased()
        if host.hasSuffix(".") { host.removeLast() }
        return isHostName(host) ? .success(host) : .failure(.invalidHost)
    }

    public static func isIPv4(_ text: String) -> Bool {
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

    public static func isIPv6(_ text: String) -> Bool {
        var address = in6_addr()
        return text.count <= 45 && inet_pton(AF_INET6, text, &address) == 1
    }

    /// Labels of 1–63 bytes (letters, digits, hyphens not at either end, underscores), 253 bytes in all.
    public static func isHostName(_ host: String) -> Bool {
        guard (1...253).contains(host.utf8.count) else { return false }
        return host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 95 }
        }
    }

    /// A host as it is written before ":port": IPv6 in brackets.
    public static func bracketed(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }
}
