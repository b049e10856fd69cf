import Foundation

/// Which proxy a check of a URL goes through, by libcurl's rules: the CLI prints it, and the
/// self-check probes that proxy. Only the environment variables libcurl itself reads are consulted.
public enum ProxyRoute {
    /// The proxy URL for `url`, or nil for a direct connection.
    public static func proxy(
        for url: String, setting: ProxySetting, noProxy: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        let proxy: String?
        switch setting {
        case .none: return nil
        case .url(let value): proxy = value
        case .environment: proxy = environmentProxy(for: url, environment: environment)
        }
        guard let proxy, !proxy.isEmpty else { return nil }
        // libcurl applies no_proxy to a configured proxy too.
        let exceptions = noProxy ?? environment["no_proxy"] ?? environment["NO_PROXY"] ?? ""
        if let host = host(of: url), bypasses(host: host, noProxy: exceptions) { return nil }
        return proxy
    }

    /// The proxy HTTPS checks use when one is configured at all (what the self-check probes).
    public static func configuredProxy(
        setting: ProxySetting, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        switch setting {
        case .none: return nil
        case .url(let value): return value
        case .environment:
            return environmentProxy(for: "https://", environment: environment)
                ?? environmentProxy(for: "http://", environment: environment)
        }
    }

    static func environmentProxy(for url: String, environment: [String: String]) -> String? {
        environmentProxyVariable(for: url, environment: environment)?.value
    }

    /// The variable libcurl takes the proxy for `url` from, and its value (no_proxy not applied).
    /// libcurl reads `http_proxy` only in lower case (an upper-case one could be set by a CGI
    /// request header), `https_proxy` in either, then `all_proxy`.
    public static func environmentProxyVariable(
        for url: String, environment: [String: String] = ProcessInfo.processInfo.environment
    )
        -> (name: String, value: String)?
    {
        let https = url.lowercased().hasPrefix("https://")
        let candidates =
            https
            ? ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"] : ["http_proxy", "all_proxy", "ALL_PROXY"]
        return candidates.lazy.compactMap { name in environment[name].flatMap { $0.isEmpty ? nil : (name, $0) } }.first
    }

    /// `no_proxy` matching as libcurl does it: "*" matches all; a name matches itself and its
    /// subdomains (a leading dot is optional); an IPv4 entry may be a CIDR block.
    static func bypasses(host rawHost: String, noProxy: String) -> Bool {
        let host = rawHost.lowercased()
        let entries = noProxy.split(whereSeparator: { $0 == "," || $0 == " " }).map { $0.lowercased() }
        for entry in entries {
            if entry == "*" { return true }
            var name = Substring(entry)
            if name.hasPrefix(".") { name = name.dropFirst() }
            if name.isEmpty { continue }
            if let slash = name.firstIndex(of: "/"), let bits = Int(name[name.index(after: slash)...]),
                let network = ipv4(name[..<slash]), let address = ipv4(Substring(host)), (0...32).contains(bits)
            {
                let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
                if network & mask == address & mask { return true }
                continue
            }
            if host == name || host.hasSuffix("." + name) { return true }
        }
        return false
    }

    /// The host of a URL or of a bare `host:port` (user info and IPv6 brackets removed).
    public static func host(of url: String) -> String? {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.split(separator: "@").last ?? authority
        if hostPort.hasPrefix("["), let end = hostPort.firstIndex(of: "]") {
            return String(hostPort[hostPort.index(after: hostPort.startIndex)..<end])
        }
        let host = hostPort.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        return host.isEmpty ? nil : host
    }

    private static func ipv4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        return value
    }
}
