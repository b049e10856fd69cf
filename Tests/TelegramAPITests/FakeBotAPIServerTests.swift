import Curl
import FakeTelegramAPI
import Foundation
import Testing

/// The fake itself, spoken to with raw HTTP: it must behave like the Bot API for clients other
/// than ours too (form bodies, query strings), or tests would prove less than they claim.
struct FakeBotAPIServerTests {
    func post(_ api: BotAPITestHarness, _ method: String, form: String, token: String? = nil) async throws -> (
        Int, JSONValue?
    ) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let response = try await api.http.execute(
            HTTPRequest(
                method: "POST", url: "\(api.fake.baseURL)/bot\(token ?? api.fake.token)/\(method)", headers: headers,
                body: Array(form.utf8), proxy: .none))
        return (response.status, JSONValue.parse(response.body))
    }

    @Test func formBodiesAndQueryStringsWorkLikeJSON() async throws {
        try await withBotAPI { api in
            let markup = #"{"inline_keyboard":[[{"text":"Open","callback_data":"open:1"}]]}"#
            let form =
                "chat_id=5&text=Hi+there%21&reply_markup=\(markup.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
            let (status, answer) = try await post(api, "sendMessage", form: form)
            #expect(status == 200)
            #expect(answer?["result"]?["text"]?.stringValue == "Hi there!")
            #expect(api.fake.lastMessage(in: 5)?.buttons.first?.callbackData == "open:1")
            let me = try await api.http.execute(
                HTTPRequest(url: "\(api.fake.baseURL)/bot\(api.fake.token)/getMe?x=1", proxy: .none))
            #expect(JSONValue.parse(me.body)?["result"]?["is_bot"] == true)
        }
    }

    @Test func aWrongTokenIsRefusedWith401AndRecorded() async throws {
        try await withBotAPI { api in
            let (status, answer) = try await post(api, "getMe", form: "", token: "1:nope")
            #expect(status == 401)
            #expect(answer?["description"]?.stringValue == "Unauthorized")
            #expect(api.fake.calls(method: "getMe").map(\.status) == [401])
        }
    }

    @Test func aSecondConcurrentPollEndsTheFirstWithConflict() async throws {
        try await withBotAPI { api in
            let first = Task { try await post(api, "getUpdates", form: "timeout=10") }
            try await api.fake.waitForHeldPoll()
            let second = Task { try await post(api, "getUpdates", form: "timeout=10") }
            let (status, answer) = try await first.value
            #expect(status == 409)
            #expect(answer?["description"]?.stringValue?.contains("terminated by other getUpdates") == true)
            api.fake.sendText(from: .anna, text: "wake up")
            let (secondStatus, updates) = try await second.value
            #expect(secondStatus == 200)
            #expect(updates?["result"]?[0]?["message"]?["text"]?.stringValue == "wake up")
        }
    }

    @Test func callbackDataOver64BytesAndBadHTMLAreRefusedAsTelegramDoes() async throws {
        try await withBotAPI { api in
            let long = String(repeating: "x", count: 65)
            let markup = #"{"inline_keyboard":[[{"text":"A","callback_data":"\#(long)"}]]}"#
            let encoded = markup.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let (status, answer) = try await post(api, "sendMessage", form: "chat_id=5&text=x&reply_markup=\(encoded)")
            #expect(status == 400)
            #expect(answer?["description"]?.stringValue == "Bad Request: BUTTON_DATA_INVALID")
            let (htmlStatus, htmlAnswer) = try await post(
                api, "sendMessage", form: "chat_id=5&parse_mode=HTML&text=a+%3C+b+%26+c")
            #expect(htmlStatus == 400)
            #expect(htmlAnswer?["description"]?.stringValue?.hasPrefix("Bad Request: can't parse entities") == true)
            #expect(api.fake.messages(in: 5).isEmpty)
        }
    }

    @Test func jsonParserReadsEscapesSurrogatesAndNumbers() {
        let value = JSONValue.parse(
            Array(#" {"a":"\ud83d\udfe2 \"q\"\n\/","b":-12,"c":1.5e3,"d":[true,false,null],"e":{}} "#.utf8))
        #expect(value?["a"]?.stringValue == "🟢 \"q\"\n/")
        #expect(value?["b"] == .int(-12))
        #expect(value?["c"] == .double(1500))
        #expect(value?["d"] == [true, false, nil])
        #expect(value?["e"] == .object([:]))
        #expect(JSONValue.parse(Array(#"{"a":}"#.utf8)) == nil)
        #expect(JSONValue.parse(Array(#"[1,2"#.utf8)) == nil)
        let round = JSONValue.object(["text": "Привет \"мир\"\n\u{1}"])
        #expect(JSONValue.parse(round.serialized) == round)
    }
}
