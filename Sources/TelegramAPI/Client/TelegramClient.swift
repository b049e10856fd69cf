import Curl
import Foundation
import Logging

/// Sends each Bot API call once, as a JSON POST to `<base>/bot<token>/<method>`, and turns the
/// answer into the method's result or a `TelegramError`. No retries and no rate limits here:
/// `TelegramSender` adds those; the poller has its own backoff.
public final class TelegramClient: BotAPI {
    public let configuration: TelegramClientConfiguration
    /// Shared with the sender and the poller built on this client.
    public let metrics: TelegramMetrics
    private let http: CurlHTTPClient
    private let ownsHTTP: Bool
    private let logger: Logger
    // Both are Sendable and keep no per-call state; making them per call showed in profiles.
    private let encoder = JSONEncoder()
    private let decoder = JSONDecoder()

    /// A client with its own libcurl event loop, whose logs are scrubbed of the token. The usual
    /// choice: Bot API calls then never queue behind hundreds of HTTP checks.
    /// - Parameter maxConcurrent: calls in flight at once (one is the long poll).
    public convenience init(
        configuration: TelegramClientConfiguration, logger: Logger, maxConcurrent: Int = 32,
        metrics: TelegramMetrics = .init()
    ) throws(CurlError) {
        let http = try CurlHTTPClient(maxConcurrent: maxConcurrent, logger: logger.redacting(configuration.token))
        self.init(configuration: configuration, http: http, logger: logger, metrics: metrics, ownsHTTP: true)
    }

    /// A client on a shared `CurlHTTPClient`. Curl's debug logs quote URLs, so that client's
    /// logger must be `.redacting(token)`, or the token can reach the logs.
    public convenience init(
        configuration: TelegramClientConfiguration, http: CurlHTTPClient, logger: Logger,
        metrics: TelegramMetrics = .init()
    ) {
        self.init(configuration: configuration, http: http, logger: logger, metrics: metrics, ownsHTTP: false)
    }

    private init(
        configuration: TelegramClientConfiguration, http: CurlHTTPClient, logger: Logger, metrics: TelegramMetrics,
        ownsHTTP: Bool
    ) {
        self.configuration = configuration
        self.metrics = metrics
        self.http = http
        self.ownsHTTP = ownsHTTP
        self.logger = logger.redacting(configuration.token)
    }

    deinit {
        if ownsHTTP { http.shutdown() }
    }

    public func call<M: BotMethod>(_ method: M) async throws(TelegramError) -> M.Result {
        try await call(method, timeout: configuration.requestTimeout)
    }

    /// One call with an explicit time limit (getUpdates needs its long-poll timeout plus a margin).
    public func call<M: BotMethod>(_ method: M, timeout: Duration) async throws(TelegramError) -> M.Result {
        let name = M.name
        let body: [UInt8]
        let contentType: String
        do {
            if let upload = method as? any MultipartBotMethod {
                (contentType, body) = try upload.multipartForm().encoded()
            } else {
                (contentType, body) = ("application/json", Array(try encoder.encode(method)))
            }
        } catch {
            throw record(.badRequest(method: name, description: "cannot encode parameters: \(error)"))
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        let response = try await execute(
            name, method: "POST", url: configuration.url(for: name), headers: headers, body: body, timeout: timeout,
            maxBodyBytes: 64 << 20)
        logger.trace(
            "Bot API answered",
            metadata: [
                "method": "\(name)", "status": "\(response.status)", "ms": "\(response.totalTime.milliseconds)",
            ])
        do throws(TelegramError) {
            return try decode(M.Result.self, from: response, method: name)
        } catch {
            throw record(error)
        }
    }

    public func downloadFile(path: String, maxBytes: Int) async throws(TelegramError) -> [UInt8] {
        let name = "downloadFile"
        guard let url = configuration.fileURL(for: path) else {
            throw record(.badRequest(method: name, description: "not a Bot API file path"))
        }
        let response = try await execute(
            name, method: "GET", url: url, headers: HTTPHeaders(), body: nil, timeout: configuration.requestTimeout,
            maxBodyBytes: maxBytes)
        guard response.status == 200 else {
            // Errors come as the usual JSON envelope (404 for an expired or unknown path).
            do throws(TelegramError) {
                _ = try decode(Discarded.self, from: response, method: name)
                throw TelegramError.unexpected(method: name, status: response.status, description: snippet(response))
            } catch {
                throw record(error)
            }
        }
        return response.body
    }

    /// One request to the Bot API, with the configuration's proxy, CA bundle and timeouts; a body over
    /// `maxBodyBytes` fails as `.fileTooLarge`.
    private func execute(
        _ name: String, method: String, url: String, headers: HTTPHeaders, body: [UInt8]?, timeout: Duration,
        maxBodyBytes: Int
    ) async throws(TelegramError) -> HTTPResponse {
        let request = HTTPRequest(
            method: method, url: url, headers: headers, body: body,
            connectTimeout: configuration.connectTimeout, timeout: timeout,
            followRedirects: false, maxBodyBytes: maxBodyBytes, truncateOversizedBody: false,
            caBundlePath: configuration.caBundlePath, proxy: configuration.proxy, noProxy: configuration.noProxy
        )
        metrics.recordCall(method: name)
        do {
            return try await http.execute(request)
        } catch {
            if error.kind == .tooLarge { throw record(.fileTooLarge(method: name, limit: maxBodyBytes)) }
            throw record(networkError(error, method: name))
        }
    }

    private func decode<R: Decodable>(_: R.Type, from response: HTTPResponse, method: String) throws(TelegramError) -> R
    {
        let envelope: APIResponse<R>
        do {
            envelope = try decoder.decode(APIResponse<R>.self, from: Data(response.body))
        } catch {
            if response.status >= 500 {
                throw .server(method: method, status: response.status, description: snippet(response))
            }
            if response.status != 200 {
                throw .unexpected(method: method, status: response.status, description: snippet(response))
            }
            throw .decoding(method: method, description: configuration.token.redact("\(error)"))
        }
        if envelope.ok, let result = envelope.result {
            return result
        }
        if envelope.ok {
            throw .decoding(method: method, description: "\"ok\": true without a result")
        }
        throw refusal(
            method: method, code: envelope.errorCode ?? response.status,
            description: configuration.token.redact(envelope.description ?? ""), parameters: envelope.parameters
        )
    }

    /// Telegram's `ok: false` answers, sorted by what the caller should do.
    private func refusal(method: String, code: Int, description: String, parameters: ResponseParameters?)
        -> TelegramError
    {
        switch code {
        case 429:
            return .tooManyRequests(method: method, retryAfter: max(1, parameters?.retryAfter ?? 1))
        case 400:
            if let chat = parameters?.migrateToChatID { return .chatMigrated(method: method, newChatID: chat) }
            let lowered = description.lowercased()
            if lowered.contains("message is not modified") { return .messageNotModified(method: method) }
            if lowered.contains("message to edit not found") { return .messageToEditNotFound(method: method) }
            return .badRequest(method: method, description: description)
        case 401: return .unauthorized(method: method)
        case 403: return .forbidden(method: method, description: description)
        case 404: return .notFound(method: method)
        case 409: return .conflict(method: method, description: description)
        case 500...: return .server(method: method, status: code, description: description)
        default: return .unexpected(method: method, status: code, description: description)
        }
    }

    private func networkError(_ error: CurlError, method: String) -> TelegramError {
        let kind: NetworkFailureKind
        switch error.kind {
        case .cancelled, .shutdown: return .cancelled(method: method)
        case .timeout: kind = .timeout
        case .couldNotConnect, .couldNotResolveHost: kind = error.proxyConnectStatus == nil ? .couldNotConnect : .proxy
        case .couldNotResolveProxy: kind = .proxy
        case .tls: kind = .tls
        case .invalidRequest: kind = .invalidRequest
        case .tooManyRedirects, .tooLarge, .transferFailed, .refusedByGate, .other:
            kind = error.proxyConnectStatus == nil ? .other : .proxy
        }
        let description = configuration.token.redact(error.description)
        // libcurl names only the host it failed to reach; when that host is the proxy, say which setting put it there.
        if let (setting, proxyHost) = proxyInUse(),
            error.kind == .couldNotConnect || error.kind == .couldNotResolveProxy || error.kind == .timeout,
            description.contains(proxyHost)
        {
            return .network(
                method: method, kind: .proxy,
                description: "the proxy from \(setting) (\(proxyHost)) is unreachable: \(description)")
        }
        return .network(method: method, kind: kind, description: description)
    }

    /// The setting and host of the proxy Bot API traffic goes through, if any (libcurl's scheme rules, ignoring no_proxy).
    private func proxyInUse() -> (setting: String, host: String)? {
        let setting: String
        let value: String
        switch configuration.proxy {
        case .none: return nil
        case .url(let url): (setting, value) = ("TELEGRAM_PROXY", url)
        case .environment:
            guard let variable = ProxyRoute.environmentProxyVariable(for: configuration.baseURL) else { return nil }
            (setting, value) = variable
        }
        guard let host = ProxyRoute.host(of: value) else { return nil }
        return (setting, host)
    }

    /// The start of a non-JSON body (a proxy's error page), for the operator.
    private func snippet(_ response: HTTPResponse) -> String {
        configuration.token.redact(String(response.bodyText.prefix(200)))
    }

    private func record(_ error: TelegramError) -> TelegramError {
        if case .cancelled = error { return error }
        metrics.recordError(error)
        logger.debug("Bot API call failed", metadata: ["method": "\(error.method)", "error": "\(error)"])
        return error
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
