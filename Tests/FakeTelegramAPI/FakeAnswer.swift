/// An answer in the Bot API envelope: `{"ok": true, "result": ...}` or
/// `{"ok": false, "error_code": ..., "description": ..., "parameters": ...}`.
struct FakeAnswer: Sendable {
    var status: Int
    var body: JSONValue
    /// Set for a proxy's HTML error page instead of JSON.
    var html: String?
    /// Set for a file download: the bytes as they are.
    var file: [UInt8]?

    static func ok(_ result: JSONValue) -> FakeAnswer {
        FakeAnswer(status: 200, body: ["ok": true, "result": result])
    }

    static func error(_ code: Int, _ description: String, parameters: JSONValue? = nil) -> FakeAnswer {
        var fields: [String: JSONValue] = [
            "ok": false, "error_code": .int(Int64(code)), "description": .string(description),
        ]
        if let parameters { fields["parameters"] = parameters }
        return FakeAnswer(status: code, body: .object(fields))
    }

    static func badRequest(_ description: String) -> FakeAnswer {
        error(400, "Bad Request: \(description)")
    }

    static func failure(_ failure: FakeFailure) -> FakeAnswer? {
        switch failure {
        case .tooManyRequests(let seconds):
            return error(
                429, "Too Many Requests: retry after \(seconds)", parameters: ["retry_after": .int(Int64(seconds))])
        case .serverError(let status):
            return error(status, status == 502 ? "Bad Gateway" : "Internal Server Error")
        case .proxyErrorPage(let status):
            return FakeAnswer(
                status: status, body: .null,
                html: "<html><body><h1>ERROR</h1><p>The requested URL could not be retrieved</p></body></html>")
        case .forbidden(let description):
            return error(403, description)
        case .badRequest(let description):
            return error(400, description)
        case .delay:
            return nil
        }
    }

    static func file(_ bytes: [UInt8]) -> FakeAnswer {
        FakeAnswer(status: 200, body: .null, file: bytes)
    }

    static let unauthorized = error(401, "Unauthorized")
    static let notFound = error(404, "Not Found")
    static let blocked = error(403, "Forbidden: bot was blocked by the user")
}
