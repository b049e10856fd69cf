import Curl

#if canImport(Glibc)
    import Glibc
#endif

/// Translating libcurl's and squid's failures into `CheckFailure`.
extension HTTPChecker {
    func failure(for error: CurlError, target: HTTPCheckTarget) -> CheckFailure {
        // A proxy that refused the CONNECT tunnel (https through squid): squid's own header says why.
        if let connectStatus = error.proxyConnectStatus {
            let host = Self.host(of: error.effectiveURL ?? target.url)
            return error.lastHeaders["X-Squid-Error"].map { Self.squidFailure($0, host: host) }
                ?? .proxyFailure(reason: "proxy answered CONNECT with \(connectStatus)")
        }
        switch error.kind {
        case .timeout:
            return .timeout
        case .couldNotResolveHost:
            return .dnsFailure(host: Self.host(of: error.effectiveURL ?? target.url))
        case .couldNotResolveProxy:
            return .proxyFailure(reason: error.message)
        case .couldNotConnect:
            // Through a proxy the failed connect may be the proxy's: blaming every target for a dead
            // proxy would raise false alerts. libcurl's message names the endpoint it tried.
            let target = Self.endpoint(of: error.effectiveURL ?? target.url)
            if let tried = Self.failedEndpoint(in: error.message), let target, tried != target {
                return .proxyFailure(reason: "cannot connect to the proxy at \(tried.host):\(tried.port)")
            }
            switch error.osErrno.map(Int32.init) {
            case ECONNREFUSED: return .refused
            case ETIMEDOUT: return .timeout
            case EHOSTUNREACH, ENETUNREACH: return .unreachable(reason: error.message)
            default: return .connectionFailed(reason: error.message)
            }
        case .tls:
            switch error.tlsProblem {
            case .expired: return .certificateExpired(notAfter: nil)  // the date is read by a second probe
            case .selfSigned: return .tlsError(.selfSigned)
            case .untrustedIssuer: return .tlsError(.untrustedIssuer)
            case .hostnameMismatch: return .tlsError(.hostnameMismatch)
            case .notYetValid: return .tlsError(.notYetValid)
            case .revoked: return .tlsError(.revoked)
            case .other, nil: return .tlsError(.handshake(error.message))
            }
        case .tooManyRedirects:
            return .tooManyRedirects(limit: target.maxRedirects)
        case .transferFailed, .tooLarge:
            return .connectionFailed(reason: error.message)
        case .invalidRequest:
            return .invalidTarget(reason: error.message)
        case .refusedByGate:
            return .deniedByPolicy(reason: error.message)
        case .cancelled, .shutdown, .other:
            return .other(error.message)
        }
    }

    /// squid's `X-Squid-Error: ERR_CONNECT_FAIL 111` names its error page and the errno behind it.
    static func squidFailure(_ header: String, host: String) -> CheckFailure {
        let parts = header.split(separator: " ")
        let name = parts.first.map(String.init) ?? header
        let code = parts.count > 1 ? Int32(parts[1]) : nil
        switch name {
        case "ERR_CONNECT_FAIL":
            switch code {
            case ECONNREFUSED: return .refused
            case ETIMEDOUT: return .timeout
            case EHOSTUNREACH, ENETUNREACH: return .unreachable(reason: "the proxy found no route (\(header))")
            default: return .connectionFailed(reason: "the proxy could not connect (\(header))")
            }
        case "ERR_DNS_FAIL": return .dnsFailure(host: host)
        case "ERR_READ_TIMEOUT", "ERR_LIFETIME_EXP": return .timeout
        case "ERR_ZERO_SIZE_OBJECT", "ERR_READ_ERROR", "ERR_WRITE_ERROR", "ERR_INVALID_RESP":
            return .connectionFailed(reason: "the proxy got no valid answer (\(header))")
        default: return .proxyFailure(reason: header)
        }
    }

    struct Endpoint: Equatable {
        var host: String
        var port: Int
    }

    /// From libcurl's "Failed to connect to <host> port <port> after 3 ms: …".
    static func failedEndpoint(in message: String) -> Endpoint? {
        guard let start = message.firstRange(of: "Failed to connect to ") else { return nil }
        let words = message[start.upperBound...].split(separator: " ")
        guard words.count >= 3, words[1] == "port", let port = Int(words[2]) else { return nil }
        return Endpoint(host: String(words[0]).lowercased(), port: port)
    }

    /// Host (lowercased, IPv6 without brackets) and port of a URL, the scheme's port when none is written.
    static func endpoint(of url: String) -> Endpoint? {
        var rest = Substring(url.lowercased())
        var port = rest.hasPrefix("https://") ? 443 : 80
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.split(separator: "@").last ?? authority
        let host: Substring
        let portText: Substring?
        if hostPort.hasPrefix("["), let end = hostPort.firstIndex(of: "]") {  // [IPv6]:port
            host = hostPort[hostPort.index(after: hostPort.startIndex)..<end]
            let afterBracket = hostPort[hostPort.index(after: end)...]
            portText = afterBracket.hasPrefix(":") ? afterBracket.dropFirst() : nil
        } else {
            let parts = hostPort.split(separator: ":", maxSplits: 1)
            host = parts.first ?? hostPort
            portText = parts.count > 1 ? parts[1] : nil
        }
        if let portText, let written = Int(portText) { port = written }
        guard !host.isEmpty else { return nil }
        return Endpoint(host: String(host), port: port)
    }

    static func host(of url: String) -> String {
        endpoint(of: url)?.host ?? url
    }
}
