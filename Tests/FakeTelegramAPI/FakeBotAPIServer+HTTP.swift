import Foundation

/// The Bot API side: `/bot<token>/<method>`, parameters from a JSON body, a form body or the query
/// string, the answer as JSON. Per-request work is parsing plus one short critical section.
extension FakeBotAPIServer {
    /// How a request is answered: at once (on the connection's event loop, no task), or after
    /// waiting (a held getUpdates, a scripted delay).
    enum Reply: Sendable {
        case now(FakeAnswer)
        case later(@Sendable () async -> FakeAnswer)
    }

    func reply(path: String, query: String?, contentType: String?, body: [UInt8]) -> Reply {
        let receivedAt = ContinuousClock.now
        if path.hasPrefix("/file/bot") { return .now(download(path: path, receivedAt: receivedAt)) }
        let (params, uploads) = Self.parameters(body: body, contentType: contentType, query: query)
        guard path.hasPrefix("/bot"), let slash = path.dropFirst(4).firstIndex(of: "/") else {
            return .now(FakeAnswer.notFound)
        }
        let method = String(path[path.index(after: slash)...])
        guard path[path.index(path.startIndex, offsetBy: 4)..<slash] == token else {
            record(method: method, params: params, answer: .unauthorized, receivedAt: receivedAt, chat: nil)
            return .now(.unauthorized)
        }
        let isPoll = method.lowercased() == "getupdates"
        let (failure, delay) = state.withLock { state -> (FakeFailure?, Duration) in
            guard
                let index = state.failures.firstIndex(where: {
                    $0.method.map { $0.lowercased() == method.lowercased() } ?? !isPoll
                })
            else { return (nil, state.responseDelay) }
            let failure = state.failures[index].failure
            state.failures[index].remaining -= 1
            if state.failures[index].remaining <= 0 { state.failures.remove(at: index) }
            return (failure, state.responseDelay)
        }
        let wait: Duration
        if case .delay(let extra) = failure { wait = delay + extra } else { wait = delay }
        let failed = failure.flatMap(FakeAnswer.failure)
        if wait == .zero, !isPoll || failed != nil {
            return .now(
                answer(method: method, params: params, uploads: uploads, failed: failed, receivedAt: receivedAt))
        }
        return .later { [self] in
            if wait > .zero { try? await Task.sleep(for: wait) }
            guard isPoll, failed == nil else {
                return answer(
                    method: method, params: params, uploads: uploads, failed: failed, receivedAt: receivedAt)
            }
            let answer = await getUpdates(params)
            record(method: method, params: params, answer: answer, receivedAt: receivedAt, chat: nil)
            return answer
        }
    }

    /// A failure asked for by the test, or the method performed on the fake's state.
    private func answer(
        method: String, params: JSONValue, uploads: [String: FakeUpload], failed: FakeAnswer?,
        receivedAt: ContinuousClock.Instant
    ) -> FakeAnswer {
        if let failed {
            record(
                method: method, params: params, answer: failed, receivedAt: receivedAt,
                chat: params["chat_id"]?.intValue)
            return failed
        }
        let bot = botUser
        let (answer, call, ready, observer) = state.withLock { state in
            let chat = params["chat_id"]?.intValue
            let answer = state.perform(method: method, params: params, uploads: uploads, bot: bot)
            let call = state.appendCall(method: method, params: params, status: answer.status, receivedAt: receivedAt)
            return (answer, call, state.satisfiedWaiters(chat: chat), state.callObserver)
        }
        for (continuation, result) in ready { continuation.resume(returning: result) }
        observer?(call)
        return answer
    }

    private func record(
        method: String, params: JSONValue, answer: FakeAnswer, receivedAt: ContinuousClock.Instant, chat: Int64?
    ) {
        let (call, ready, observer) = state.withLock { state in
            let call = state.appendCall(method: method, params: params, status: answer.status, receivedAt: receivedAt)
            return (call, state.satisfiedWaiters(chat: chat), state.callObserver)
        }
        for (continuation, result) in ready { continuation.resume(returning: result) }
        observer?(call)
    }

    /// Fields sent as JSON inside a form value (Telegram parses these).
    private static let jsonFields: Set<String> = [
        "reply_markup", "allowed_updates", "commands", "scope", "link_preview_options", "entities", "reply_parameters",
    ]

    /// The parameters, and the file parts of a multipart body (recorded in the parameters as
    /// `{file_name, mime_type, file_size}`, their bytes kept apart).
    static func parameters(body: [UInt8], contentType: String?, query: String?) -> (JSONValue, [String: FakeUpload]) {
        var fields: [String: JSONValue] = [:]
        var uploads: [String: FakeUpload] = [:]
        if let query { fields.merge(formFields(query), uniquingKeysWith: { _, new in new }) }
        let type = contentType?.lowercased() ?? ""
        if !body.isEmpty {
            if type.hasPrefix("application/json") || (type.isEmpty && body.first == UInt8(ascii: "{")) {
                if let object = JSONValue.parse(body)?.objectValue {
                    fields.merge(object, uniquingKeysWith: { _, new in new })
                }
            } else if type.hasPrefix("application/x-www-form-urlencoded") {
                fields.merge(formFields(String(decoding: body, as: UTF8.self)), uniquingKeysWith: { _, new in new })
            } else if let boundary = contentType.flatMap(MultipartParser.boundary(of:)),
                let parsed = MultipartParser.parse(body, boundary: boundary)
            {
                for (name, value) in parsed.fields {
                    fields[name] =
                        jsonFields.contains(name)
                        ? JSONValue.parse(Array(value.utf8)) ?? .string(value) : .string(value)
                }
                uploads = parsed.files
                for (name, file) in parsed.files {
                    var summary: [String: JSONValue] = ["file_size": .int(Int64(file.bytes.count))]
                    if let fileName = file.fileName { summary["file_name"] = .string(fileName) }
                    if let mimeType = file.mimeType { summary["mime_type"] = .string(mimeType) }
                    fields[name] = .object(summary)
                }
            }
        }
        return (.object(fields), uploads)
    }

    /// `/file/bot<token>/<file_path>`: the bytes of a file getFile described; 404 for any other path.
    private func download(path: String, receivedAt: ContinuousClock.Instant) -> FakeAnswer {
        let rest = path.dropFirst("/file/bot".count)
        guard let slash = rest.firstIndex(of: "/") else { return .notFound }
        let filePath = String(rest[rest.index(after: slash)...]).removingPercentEncoding ?? ""
        let params: JSONValue = ["file_path": .string(filePath)]
        let answer: FakeAnswer
        if rest[..<slash] != token {
            answer = .unauthorized
        } else if let file = state.withLock({ $0.file(atPath: filePath) }) {
            answer = .file(file.bytes)
        } else {
            answer = .notFound
        }
        record(method: "downloadFile", params: params, answer: answer, receivedAt: receivedAt, chat: nil)
        return answer
    }

    private static func formFields(_ text: String) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decodeFormComponent(parts[0])
            let value = parts.count > 1 ? decodeFormComponent(parts[1]) : ""
            if jsonFields.contains(key), let json = JSONValue.parse(Array(value.utf8)) {
                fields[key] = json
            } else {
                fields[key] = .string(value)
            }
        }
        return fields
    }

    private static func decodeFormComponent(_ component: Substring) -> String {
        let spaced = component.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

extension FakeState {
    mutating func appendCall(method: String, params: JSONValue, status: Int, receivedAt: ContinuousClock.Instant)
        -> RecordedCall
    {
        let call = RecordedCall(
            index: callIndexBase + calls.count, method: method, params: params, status: status, receivedAt: receivedAt)
        calls.append(call)
        return call
    }
}
