import Foundation
import Hummingbird

/// The HTTP side: `/bot<token>/<method>`, parameters from a JSON body, a form body or the query
/// string, the answer as JSON. Per-request work is parsing plus one short critical section.
extension FakeBotAPIServer {
    func respond(to request: Request) async throws -> Response {
        let receivedAt = ContinuousClock.now
        var request = request
        let body = try await request.collectBody(upTo: 16 << 20)
        let params = Self.parameters(
            body: Array(body.readableBytesView), contentType: request.headers[.contentType], query: request.uri.query
        )
        let path = request.uri.path
        guard path.hasPrefix("/bot"), let slash = path.dropFirst(4).firstIndex(of: "/") else {
            return Self.response(FakeAnswer.notFound)
        }
        let method = String(path[path.index(after: slash)...])
        let answer: FakeAnswer
        if path[path.index(path.startIndex, offsetBy: 4)..<slash] != token {
            answer = .unauthorized
            record(method: method, params: params, answer: answer, receivedAt: receivedAt, chat: nil)
        } else {
            answer = await handle(method: method, params: params, receivedAt: receivedAt)
        }
        return Self.response(answer)
    }

    private func handle(method: String, params: JSONValue, receivedAt: ContinuousClock.Instant) async -> FakeAnswer {
        let isPoll = method.lowercased() == "getupdates"
        let (failure, delay) = state.withLock { state -> (FakeFailure?, Duration) in
            guard let index = state.failures.firstIndex(where: {
                $0.method.map { $0.lowercased() == method.lowercased() } ?? !isPoll
            }) else { return (nil, state.responseDelay) }
            let failure = state.failures[index].failure
            state.failures[index].remaining -= 1
            if state.failures[index].remaining <= 0 { state.failures.remove(at: index) }
            return (failure, state.responseDelay)
        }
        var wait = delay
        if case let .delay(extra) = failure { wait += extra }
        if wait > .zero { try? await Task.sleep(for: wait) }
        if let failure, let answer = FakeAnswer.failure(failure) {
            record(method: method, params: params, answer: answer, receivedAt: receivedAt, chat: params["chat_id"]?.intValue)
            return answer
        }
        if isPoll {
            let answer = await getUpdates(params)
            record(method: method, params: params, answer: answer, receivedAt: receivedAt, chat: nil)
            return answer
        }
        let bot = botUser
        let (answer, call, ready, observer) = state.withLock { state in
            let chat = params["chat_id"]?.intValue
            let answer = state.perform(method: method, params: params, bot: bot)
            let call = state.appendCall(method: method, params: params, status: answer.status, receivedAt: receivedAt)
            return (answer, call, state.satisfiedWaiters(chat: chat), state.callObserver)
        }
        for (continuation, result) in ready { continuation.resume(returning: result) }
        observer?(call)
        return answer
    }

    private func record(method: String, params: JSONValue, answer: FakeAnswer, receivedAt: ContinuousClock.Instant, chat: Int64?) {
        let (call, ready, observer) = state.withLock { state in
            let call = state.appendCall(method: method, params: params, status: answer.status, receivedAt: receivedAt)
            return (call, state.satisfiedWaiters(chat: chat), state.callObserver)
        }
        for (continuation, result) in ready { continuation.resume(returning: result) }
        observer?(call)
    }

    static func response(_ answer: FakeAnswer) -> Response {
        if let html = answer.html {
            return Response(
                status: .init(code: answer.status), headers: [.contentType: "text/html"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: html))
            )
        }
        return Response(
            status: .init(code: answer.status), headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body.serialized))
        )
    }

    /// Fields sent as JSON inside a form value (Telegram parses these).
    private static let jsonFields: Set<String> = [
        "reply_markup", "allowed_updates", "commands", "scope", "link_preview_options", "entities", "reply_parameters",
    ]

    static func parameters(body: [UInt8], contentType: String?, query: String?) -> JSONValue {
        var fields: [String: JSONValue] = [:]
        if let query { fields.merge(formFields(query), uniquingKeysWith: { _, new in new }) }
        let type = contentType?.lowercased() ?? ""
        if !body.isEmpty {
            if type.hasPrefix("application/json") || (type.isEmpty && body.first == UInt8(ascii: "{")) {
                if let object = JSONValue.parse(body)?.objectValue {
                    fields.merge(object, uniquingKeysWith: { _, new in new })
                }
            } else if type.hasPrefix("application/x-www-form-urlencoded") {
                fields.merge(formFields(String(decoding: body, as: UTF8.self)), uniquingKeysWith: { _, new in new })
            }
        }
        return .object(fields)
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
    mutating func appendCall(method: String, params: JSONValue, status: Int, receivedAt: ContinuousClock.Instant) -> RecordedCall {
        let call = RecordedCall(index: callIndexBase + calls.count, method: method, params: params, status: status, receivedAt: receivedAt)
        calls.append(call)
        return call
    }
}
