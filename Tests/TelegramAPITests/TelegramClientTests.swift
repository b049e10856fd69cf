import Curl
import FakeTelegramAPI
import Foundation
import TelegramAPI
import Testing

/// The client against the fake Bot API: real HTTP over libcurl, real JSON shapes.
struct TelegramClientTests {
    @Test func getMeReturnsTheBotBehindTheToken() async throws {
        try await withBotAPI { api in
            let me = try await api.client().getMe()
            #expect(me.isBot)
            #expect(me.id == api.token.botID)
            #expect(me.username == api.fake.botUser.username)
        }
    }

    @Test func escapedUserTextRoundTripsThroughHTMLMode() async throws {
        try await withBotAPI { api in
            let userText = #"<script>alert("hi")</script> & 'Co' 🟢 Сервер"#
            let sent = try await api.client().sendMessage(
                chatID: FakeUser.anna.chatID, text: "<b>Name:</b> \(HTML.escape(userText))")
            #expect(sent.text == "Name: \(userText)")
            let seen = try #require(api.fake.lastMessage(in: FakeUser.anna.chatID))
            #expect(seen.text == "Name: \(userText)")
            #expect(seen.parseMode == "HTML")
        }
    }

    @Test func aSendThatDiscardsItsResultSendsTheSameRequestAndStillReportsRefusals() async throws {
        try await withBotAPI { api in
            let client = api.client()
            let chat = FakeUser.anna.chatID
            let menu = InlineKeyboardMarkup([[try .callback("Add", data: "add")]])
            try await client.sendMessage(chatID: chat, text: "<b>Menu</b>", replyMarkup: .inline(menu))
            try await client.sendMessageDiscardingResult(chatID: chat, text: "<b>Menu</b>", replyMarkup: .inline(menu))
            let calls = api.fake.calls(method: "sendMessage")
            #expect(calls.count == 2)
            #expect(calls.first?.params == calls.last?.params)
            await #expect(throws: TelegramError.self) {
                try await client.sendMessageDiscardingResult(chatID: chat, text: "target <10.0.0.1> down")
            }
        }
    }

    @Test func unescapedMarkupIsABadRequestNotACrash() async throws {
        try await withBotAPI { api in
            await #expect {
                try await api.client().sendMessage(chatID: 1, text: "target <10.0.0.1> down")
            } throws: { error in
                guard case .badRequest(let method, let description) = error as? TelegramError else { return false }
                return method == "sendMessage" && description.contains("can't parse entities")
            }
            #expect(api.fake.messages(in: 1).isEmpty)
        }
    }

    @Test func editWithUnchangedTextIsNotModifiedAndCountsAsSuccess() async throws {
        try await withBotAPI { api in
            let client = api.client()
            let chat = FakeUser.anna.chatID
            let sent = try await client.sendMessage(chatID: chat, text: "Status: <b>up</b>")
            #expect(
                try await client.editMessageText(chatID: chat, messageID: sent.messageID, text: "Status: <b>up</b>")
                    == .notModified)
            #expect(
                try await client.editMessageText(chatID: chat, messageID: sent.messageID, text: "Status: <b>down</b>")
                    == .edited)
            let keyboard = InlineKeyboardMarkup([[try .callback("Refresh", data: "refresh")]])
            #expect(
                try await client.editMessageReplyMarkup(chatID: chat, messageID: sent.messageID, replyMarkup: keyboard)
                    == .edited)
            #expect(
                try await client.editMessageReplyMarkup(chatID: chat, messageID: sent.messageID, replyMarkup: keyboard)
                    == .notModified)
            let seen = try #require(api.fake.lastMessage(in: chat))
            #expect(seen.text == "Status: down")
            #expect(seen.editCount == 2)
            #expect(seen.buttons.map(\.callbackData) == ["refresh"])
        }
    }

    @Test func editingAMissingMessageIsDistinguishableSoTheCallerCanSendInstead() async throws {
        try await withBotAPI { api in
            await #expect(throws: TelegramError.messageToEditNotFound(method: "editMessageText")) {
                try await api.client().editMessageText(chatID: 1, messageID: 999, text: "x")
            }
        }
    }

    @Test func deletingAMessageTwiceReportsItAlreadyGone() async throws {
        try await withBotAPI { api in
            let client = api.client()
            let sent = try await client.sendMessage(chatID: 7, text: "bye")
            #expect(try await client.deleteMessage(chatID: 7, messageID: sent.messageID))
            #expect(try await client.deleteMessage(chatID: 7, messageID: sent.messageID) == false)
            #expect(api.fake.messages(in: 7).isEmpty)
        }
    }

    @Test func keyboardsReachTheUserAsSent() async throws {
        try await withBotAPI { api in
            let client = api.client()
            let chat = FakeUser.boris.chatID
            let share = ReplyKeyboardMarkup([[.requestingContact("📱 Share phone number")]], oneTimeKeyboard: true)
            try await client.sendMessage(chatID: chat, text: "Hello", replyMarkup: .keyboard(share))
            let keyboard = try #require(api.fake.replyKeyboard(in: chat))
            #expect(keyboard["keyboard"]?[0]?[0]?["request_contact"]?.boolValue == true)
            let menu = InlineKeyboardMarkup([
                [try .callback("➕ Add", data: "add"), .link("Docs", url: "https://example.org")]
            ])
            let sent = try await client.sendMessage(chatID: chat, text: "Menu", replyMarkup: .inline(menu))
            #expect(sent.replyMarkup == menu)
            #expect(api.fake.lastMessage(in: chat)?.buttons.map(\.text) == ["➕ Add", "Docs"])
            try await client.sendMessage(chatID: chat, text: "Thanks", replyMarkup: .remove(ReplyKeyboardRemove()))
            #expect(api.fake.replyKeyboard(in: chat) == nil)
        }
    }

    @Test func callbackQueriesAreAnsweredOnce() async throws {
        try await withBotAPI { api in
            let client = api.client()
            let menu = InlineKeyboardMarkup([[try .callback("Open", data: "open:1")]])
            let sent = try await client.sendMessage(
                chatID: FakeUser.anna.chatID, text: "Menu", replyMarkup: .inline(menu))
            let press = try api.fake.pressButton(from: .anna, callbackData: "open:1", on: sent.messageID)
            let queryID = try #require(press.callbackQueryID)
            try await client.answerCallbackQuery(id: queryID, text: "Opening…")
            #expect(api.fake.isAnswered(callbackQueryID: queryID))
            await #expect(throws: TelegramError.self) { try await client.answerCallbackQuery(id: queryID) }
        }
    }

    @Test func commandMenusAreSetPerLanguage() async throws {
        try await withBotAPI { api in
            let client = api.client()
            try await client.setMyCommands(
                [BotCommand("monitoring", description: "Мои устройства и сайты")], languageCode: "ru")
            try await client.setMyCommands(
                [BotCommand("monitoring", description: "My devices and sites")], languageCode: "en")
            #expect(api.fake.commands(languageCode: "ru").map(\.description) == ["Мои устройства и сайты"])
            #expect(api.fake.commands(languageCode: "en").map(\.description) == ["My devices and sites"])
            await #expect(throws: TelegramError.self) {
                try await client.setMyCommands([BotCommand("/Bad", description: "x")])
            }
        }
    }

    @Test func refusalsMapToTypedErrors() async throws {
        try await withBotAPI { api in
            let client = api.client()
            let cases: [(FakeFailure, TelegramError)] = [
                (
                    .forbidden(),
                    .forbidden(method: "sendMessage", description: "Forbidden: bot was blocked by the user")
                ),
                (.tooManyRequests(retryAfter: 7), .tooManyRequests(method: "sendMessage", retryAfter: 7)),
                (.serverError(status: 502), .server(method: "sendMessage", status: 502, description: "Bad Gateway")),
            ]
            for (failure, expected) in cases {
                api.fake.failNext(method: "sendMessage", with: failure)
                await #expect(throws: expected) { try await client.sendMessage(chatID: 1, text: "x") }
            }
            api.fake.failNext(method: "sendMessage", with: .proxyErrorPage(status: 503))
            await #expect {
                try await client.sendMessage(chatID: 1, text: "x")
            } throws: { error in
                guard case .server(_, let status, let description) = error as? TelegramError else { return false }
                return status == 503 && description.contains("could not be retrieved")
            }
            await #expect(throws: TelegramError.unauthorized(method: "getMe")) {
                try await api.client(token: "1:wrong").getMe()
            }
        }
    }

    @Test func tokenNeverAppearsInErrorsOrLogs() async throws {
        try await withBotAPI { api in
            let secret = api.fake.token
            var descriptions: [String] = []
            do {
                _ = try await api.client(token: "999:AAAnotherSecretToken-xyz").getMe()
            } catch {
                descriptions.append("\(error)")
            }
            // A closed port: libcurl's error (and Curl's debug log) quote the URL, which contains the token.
            let closed = try TelegramClient(
                configuration: api.unreachableConfiguration,
                logger: api.logs.logger("closed"))
            do {
                _ = try await closed.getMe()
                Issue.record("a closed port answered")
            } catch {
                let telegramError = try #require(error as? TelegramError)
                guard case .network(_, let kind, let description) = telegramError else {
                    Issue.record("expected a network error, got \(telegramError)")
                    return
                }
                #expect(kind == .couldNotConnect)
                #expect(description.contains("<redacted>"))
                descriptions.append("\(error)")
                descriptions.append(String(reflecting: error))
            }
            let sender = TelegramSender(client: closed, retry: .fast, logger: api.logs.logger("sender"))
            await #expect(throws: TelegramError.self) { try await sender.sendMessage(chatID: 1, text: "x") }
            #expect(descriptions.count == 3)
            #expect(!api.logs.lines.isEmpty)
            for text in descriptions + api.logs.lines.map(\.text) {
                #expect(!text.contains(secret) && !text.contains("AAAnotherSecretToken"), "token leaked: \(text)")
            }
        }
    }
}
