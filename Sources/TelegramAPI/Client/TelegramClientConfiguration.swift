import Curl
import Foundation

/// Where and how the client reaches the Bot API.
public struct TelegramClientConfiguration: Sendable {
    public static let defaultBaseURL = "https://api.telegram.org"

    public var token: BotToken
    /// `TELEGRAM_API_URL`: Telegram, a local telegram-bot-api server, or the fake in tests.
    /// Requests go to `<baseURL>/bot<token>/<method>`.
    public var baseURL: String
    /// `.environment` (libcurl's https_proxy/http_proxy/no_proxy), unless `TELEGRAM_PROXY` set a URL.
    public var proxy: ProxySetting
    /// Hosts that bypass the proxy for Bot API traffic, in libcurl's `no_proxy` syntax.
    public var noProxy: String?
    public var connectTimeout: Duration
    /// Limit for every call but getUpdates, whose limit is its long-poll timeout plus `connectTimeout`.
    public var requestTimeout: Duration
    /// PEM bundle to trust for a local Bot API server behind an internal CA.
    public var caBundlePath: String?

    /// - Parameters:
    ///   - baseURL: `TELEGRAM_API_URL`; nil or empty means Telegram itself. A trailing "/" is dropped.
    ///   - telegramProxy: `TELEGRAM_PROXY`; when set it overrides the proxy environment for Bot API
    ///     traffic only (the HTTP checks keep following the environment).
    public init(
        token: BotToken,
        baseURL: String? = nil,
        telegramProxy: String? = nil,
        noProxy: String? = nil,
        connectTimeout: Duration = .seconds(10),
        requestTimeout: Duration = .seconds(30),
        caBundlePath: String? = nil
    ) {
        self.token = token
        var base = baseURL.flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.proxy = Self.proxySetting(telegramProxy: telegramProxy)
        self.noProxy = noProxy
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.caBundlePath = caBundlePath
    }

    /// `TELEGRAM_PROXY` → the proxy for Bot API traffic: a URL when set, else the environment's.
    public static func proxySetting(telegramProxy: String?) -> ProxySetting {
        guard let value = telegramProxy?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            return .environment
        }
        return .url(value)
    }

    /// The URL of one method. Contains the token: never log it, and redact errors that quote it.
    func url(for method: String) -> String {
        "\(baseURL)/bot\(token.secret)/\(method)"
    }

    /// The download URL of a getFile `file_path` ("documents/file_1.csv"), or nil for a path that
    /// could leave `/file/bot<token>/` (a "..", a query, a scheme). Contains the token too.
    func fileURL(for path: String) -> String? {
        let allowed = path.utf8.allSatisfy { byte in
            (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
                || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: ".")
        }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard allowed, !path.isEmpty, !segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            return nil
        }
        return "\(baseURL)/file/bot\(token.secret)/\(path)"
    }
}

extension TelegramClientConfiguration {
    /// A Bot API on this machine (a local server or the fake in tests): never through a proxy.
    public static func loopback(token: String, baseURL: String) -> TelegramClientConfiguration {
        var configuration = TelegramClientConfiguration(token: BotToken(token), baseURL: baseURL)
        configuration.proxy = .none
        return configuration
    }
}
