import Foundation
import Testing

@testable import TelegramAPI

/// The wire format: Telegram's snake_case JSON in, snake_case JSON out, nil fields left out.
struct BotAPITypesTests {
    @Test func messageUpdateDecodesFromTelegramJSON() throws {
        let json = """
            {"update_id": 900001, "message": {"message_id": 7, "from": {"id": 42, "is_bot": false, "first_name": "Анна",
             "username": "anna", "language_code": "ru"}, "chat": {"id": 42, "type": "private", "first_name": "Анна"},
             "date": 1700000000, "text": "/start@uptime_bot deep", "entities": [{"type": "bot_command", "offset": 0, "length": 17}]}}
            """
        let update = try JSONDecoder().decode(Update.self, from: Data(json.utf8))
        #expect(update.updateID == 900001)
        #expect(update.sender?.languageCode == "ru")
        #expect(update.chat?.type == .private)
        #expect(update.message?.entities?.first?.type == .botCommand)
        #expect(
            update.message?.command == BotCommandInvocation(name: "start", botUsername: "uptime_bot", arguments: "deep")
        )
    }

    @Test func contactAndCallbackQueryDecode() throws {
        let contact = """
            {"update_id": 1, "message": {"message_id": 2, "from": {"id": 5, "is_bot": false, "first_name": "B"},
             "chat": {"id": 5, "type": "private"}, "date": 1, "contact": {"phone_number": "+79990001122", "first_name": "B", "user_id": 5}}}
            """
        let press = """
            {"update_id": 2, "callback_query": {"id": "q1", "from": {"id": 5, "is_bot": false, "first_name": "B"},
             "chat_instance": "c", "data": "mon:open:1", "message": {"message_id": 3, "chat": {"id": 5, "type": "private"},
             "date": 0, "reply_markup": {"inline_keyboard": [[{"text": "Open", "callback_data": "mon:open:1"}]]}}}}
            """
        let shared = try JSONDecoder().decode(Update.self, from: Data(contact.utf8))
        #expect(shared.message?.contact?.userID == 5)
        #expect(shared.message?.contact?.phoneNumber == "+79990001122")
        let pressed = try JSONDecoder().decode(Update.self, from: Data(press.utf8))
        #expect(pressed.callbackQuery?.data == "mon:open:1")
        #expect(pressed.chat?.id == 5)
        #expect(pressed.callbackQuery?.message?.replyMarkup?.inlineKeyboard.first?.first?.callbackData == "mon:open:1")
    }

    @Test func unknownChatTypesAndUpdateKindsDecodeInsteadOfFailing() throws {
        let json = #"{"update_id": 3, "my_chat_member": {}, "message": null}"#
        let update = try JSONDecoder().decode(Update.self, from: Data(json.utf8))
        #expect(update.message == nil && update.callbackQuery == nil)
        let chat = try JSONDecoder().decode(Chat.self, from: Data(#"{"id": 1, "type": "business"}"#.utf8))
        #expect(chat.type.rawValue == "business")
    }

    @Test func sendMessageEncodesSnakeCaseAndLeavesOutUnsetFields() throws {
        let keyboard = InlineKeyboardMarkup([[try .callback("Add", data: "add")]])
        let method = SendMessage(chatID: 42, text: "<b>Hi</b>", replyMarkup: .inline(keyboard))
        let object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(method)) as? [String: Any])
        #expect(Set(object.keys) == ["chat_id", "text", "parse_mode", "reply_markup", "link_preview_options"])
        #expect(object["parse_mode"] as? String == "HTML")
        let markup = try #require(object["reply_markup"] as? [String: Any])
        let button = try #require((markup["inline_keyboard"] as? [[[String: Any]]])?.first?.first)
        #expect(button["callback_data"] as? String == "add")
        #expect((object["link_preview_options"] as? [String: Any])?["is_disabled"] as? Bool == true)
    }

    @Test func replyKeyboardWithContactRequestAndRemovalEncodeAsTheirOwnObjects() throws {
        let share = ReplyMarkup.keyboard(
            ReplyKeyboardMarkup([[.requestingContact("Share phone")]], oneTimeKeyboard: true))
        let shareJSON = String(decoding: try JSONEncoder().encode(share), as: UTF8.self)
        #expect(shareJSON.contains(#""request_contact":true"#))
        #expect(shareJSON.contains(#""one_time_keyboard":true"#))
        let removeJSON = String(
            decoding: try JSONEncoder().encode(ReplyMarkup.remove(ReplyKeyboardRemove())), as: UTF8.self)
        #expect(removeJSON == #"{"remove_keyboard":true}"#)
        let scopeJSON = String(
            decoding: try JSONEncoder().encode(SetMyCommands(commands: [], scope: .default, languageCode: "ru")),
            as: UTF8.self)
        #expect(scopeJSON.contains(#""scope":{"type":"default"}"#) && scopeJSON.contains(#""language_code":"ru""#))
    }

    @Test func callbackDataOver64BytesIsRefusedNeverProduced() throws {
        #expect(throws: InvalidCallbackData.tooLong(bytes: 65)) {
            try InlineKeyboardButton.callback("x", data: String(repeating: "a", count: 65))
        }
        #expect(throws: InvalidCallbackData.empty) { try InlineKeyboardButton.callback("x", data: "") }
        // Bytes, not characters: 17 emoji are 68 bytes of UTF-8.
        #expect(throws: InvalidCallbackData.tooLong(bytes: 68)) {
            try InlineKeyboardButton.callback("x", data: String(repeating: "🟢", count: 17))
        }
        let longest = try InlineKeyboardButton.callback("x", data: String(repeating: "a", count: 64))
        #expect(longest.callbackData?.utf8.count == 64)
        #expect(try InlineKeyboardButton.callback("x", data: String(repeating: "ж", count: 32)).callbackData != nil)
    }

    @Test func htmlEscapeNeutralisesEveryMarkupCharacter() {
        #expect(
            HTML.escape(#"<script>alert("x") & 'y'</script>"#)
                == "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;")
        #expect(HTML.escape("Сервер №1 🟢") == "Сервер №1 🟢")
        #expect(
            HTML.link("a<b", url: "https://x/?a=1&b=\"2\"")
                == "<a href=\"https://x/?a=1&amp;b=&quot;2&quot;\">a&lt;b</a>")
    }

    @Test func commandsAreRecognisedOnlyAtTheStartOfTheText() {
        func command(_ text: String) -> BotCommandInvocation? {
            Message(messageID: 1, chat: Chat(id: 1), date: 0, text: text).command
        }
        #expect(command("/Help")?.name == "help")
        #expect(command("/monitoring   ")?.arguments == "")
        #expect(command("/start\npayload")?.arguments == "payload")
        #expect(command("hello /start") == nil)
        #expect(command("/") == nil)
        #expect(command("/ start") == nil)
        #expect(command("/стоп") == nil)
    }

    @Test func botTokenPrintsRedactedAndScrubsItselfFromText() {
        let token = BotToken("123456:AAHsecretSECRETsecret_-x")
        #expect("\(token)" == "<redacted>")
        #expect(String(reflecting: token) == "BotToken(<redacted>)")
        #expect(token.botID == 123456)
        #expect(token.isWellFormed)
        #expect(!BotToken("nonsense").isWellFormed)
        let text =
            "failed for https://api.telegram.org/bot123456:AAHsecretSECRETsecret_-x/getMe and bot123456%3AAAHsecretSECRETsecret_-x"
        #expect(token.redact(text) == "failed for https://api.telegram.org/bot<redacted>/getMe and bot<redacted>")
    }

    @Test func telegramProxyOverridesTheEnvironmentOnlyWhenSet() {
        #expect(TelegramClientConfiguration.proxySetting(telegramProxy: nil) == .environment)
        #expect(TelegramClientConfiguration.proxySetting(telegramProxy: "  ") == .environment)
        #expect(
            TelegramClientConfiguration.proxySetting(telegramProxy: "http://squid:3128") == .url("http://squid:3128"))
        let configuration = TelegramClientConfiguration(token: BotToken("1:x"), baseURL: "http://127.0.0.1:8081//")
        #expect(configuration.baseURL == "http://127.0.0.1:8081")
        #expect(TelegramClientConfiguration(token: BotToken("1:x")).baseURL == "https://api.telegram.org")
    }
}
