/// A request that produced no HTTP response, with what an operator needs to see why.
public struct CurlError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case timeout
        case couldNotResolveHost
        case couldNotResolveProxy
        case couldNotConnect
        /// Handshake or certificate verification failed; see `tlsVerifyResult`.
        case tls
        case tooManyRedirects
        /// The body exceeded `maxBodyBytes` with `truncateOversizedBody` off.
        case tooLarge
        /// Malformed URL, a protocol other than http/https, a header with a line break.
        case invalidRequest
        /// The connection broke or the server sent nothing / garbage.
        case transferFailed
        /// The request's `ConnectionGate` refused the address connected to; `message` says why.
        case refusedByGate
        /// The calling task was cancelled.
        case cancelled
        /// The client was shut down.
        case shutdown
        case other
    }

    /// libcurl's CURLcode (0 for errors raised by this module: cancelled, shutdown, invalidRequest).
    public var code: Int
    public var kind: Kind
    /// libcurl's error buffer, or its generic text for the code.
    public var message: String
    public var url: String
    /// errno of the failed connect (ECONNREFUSED, EHOSTUNREACH...), when there was one.
    public var osErrno: Int?
    /// OpenSSL's X509_V_ERR_* of a failed verification (10 expired, 18 self-signed...).
    public var tlsVerifyResult: Int?
    /// Status a proxy answered a CONNECT with, when it refused the tunnel.
    public var proxyConnectStatus: Int?
    /// Headers of the last response seen, e.g. squid's `X-Squid-Error` on a refused CONNECT.
    public var lastHeaders: HTTPHeaders
    /// The URL libcurl was on when it failed (differs from `url` after redirects).
    public var effectiveURL: String?

    public init(
        code: Int, kind: Kind, message: String, url: String, osErrno: Int? = nil, tlsVerifyResult: Int? = nil,
        proxyConnectStatus: Int? = nil, lastHeaders: HTTPHeaders = [:], effectiveURL: String? = nil
    ) {
        self.code = code
        self.kind = kind
        self.message = message
        self.url = url
        self.osErrno = osErrno
        self.tlsVerifyResult = tlsVerifyResult
        self.proxyConnectStatus = proxyConnectStatus
        self.lastHeaders = lastHeaders
        self.effectiveURL = effectiveURL
    }

    public var description: String { "\(kind) (curl \(code)) for \(url): \(message)" }

    /// The verification failure, when libcurl reported one.
    public var tlsProblem: TLSVerifyProblem? {
        guard kind == .tls else { return nil }
        if let result = tlsVerifyResult, result != 0 { return TLSVerifyProblem(x509Error: result) }
        // libcurl checks the host name itself, leaving OpenSSL's result at 0; only its message tells.
        if message.contains("subject name") || message.contains("does not match target host") {
            return .hostnameMismatch
        }
        return nil
    }

    /// Maps a CURLcode to a kind; numbers are libcurl's stable ABI (curl.h).
    static func kind(forCurlCode code: Int) -> Kind {
        switch code {
        case 28: .timeout  // OPERATION_TIMEDOUT
        case 6: .couldNotResolveHost
        case 5: .couldNotResolveProxy
        case 7: .couldNotConnect
        case 35, 51, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91, 98: .tls
        case 47: .tooManyRedirects
        case 63: .tooLarge  // FILESIZE_EXCEEDED
        case 1, 3, 4: .invalidRequest  // UNSUPPORTED_PROTOCOL, URL_MALFORMAT, NOT_BUILT_IN
        case 8, 16, 18, 52, 55, 56, 61, 92, 95, 97: .transferFailed
        default: .other
        }
    }
}

/// OpenSSL verification errors worth naming to a user (X509_V_ERR_* values from x509_vfy.h).
public enum TLSVerifyProblem: Sendable, Hashable {
    case expired
    case notYetValid
    case selfSigned
    case untrustedIssuer
    case revoked
    case hostnameMismatch
    case other(Int)

    init(x509Error: Int) {
        switch x509Error {
        case 10: self = .expired
        case 9: self = .notYetValid
        case 18, 19: self = .selfSigned
        case 2, 20, 21, 27: self = .untrustedIssuer
        case 23: self = .revoked
        case 62: self = .hostnameMismatch
        default: self = .other(x509Error)
        }
    }
}
