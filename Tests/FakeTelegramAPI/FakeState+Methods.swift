import Foundation

/// What each Bot API method does to the fake's world, with Telegram's refusals for bad input.
/// Runs under the fake's lock: in-memory work only.
extension FakeState {
    mutating func perform(method: String, params: JSONValue, uploads: [String: FakeUpload] = [:], bot: FakeUser)
        -> FakeAnswer
    {
        switch method.lowercased() {
        case "getme": .ok(botJSON(bot))
        case "sendmessage": sendMessage(params, bot: bot)
        case "editmessagetext": editMessage(params, bot: bot, text: true)
        case "editmessagereplymarkup": editMessage(params, bot: bot, text: false)
        case "answercallbackquery": answerCallbackQuery(params)
        case "deletemessage": deleteMessage(params)
        case "setmycommands": setMyCommands(params)
        case "getmycommands": .ok(commands[commandsKey(params)] ?? [])
        case "setwebhook": setWebhook(params)
        case "deletewebhook": deleteWebhook(params)
        case "senddocument": sendDocument(params, uploads: uploads, bot: bot)
        case "getfile": getFile(params)
        case "getwebhookinfo":
            .ok([
                "url": .string(webhookURL), "has_custom_certificate": false,
                "pending_update_count": .int(Int64(pending.count)),
            ])
        default: .notFound
        }
    }

    private mutating func setWebhook(_ params: JSONValue) -> FakeAnswer {
        guard let url = params["url"]?.stringValue else {
            return .error(400, "Bad Request: parameter \"url\" is required")
        }
        webhookURL = url
        return .ok(true)
    }

    /// Telegram keeps the updates waiting unless asked to drop them.
    private mutating func deleteWebhook(_ params: JSONValue) -> FakeAnswer {
        webhookURL = ""
        if params["drop_pending_updates"]?.boolValue == true { pending.removeAll() }
        return .ok(true)
    }

    private func botJSON(_ bot: FakeUser) -> JSONValue {
        [
            "id": .int(bot.id), "is_bot": true, "first_name": .string(bot.firstName),
            "username": .string(bot.username ?? ""),
            "can_join_groups": false, "can_read_all_group_messages": false, "supports_inline_queries": false,
        ]
    }

    private mutating func sendMessage(_ params: JSONValue, bot: FakeUser) -> FakeAnswer {
        guard let chatID = params["chat_id"]?.intValue else { return .badRequest("chat_id is empty") }
        if chat(chatID).blocked { return .blocked }
        let rendered: (raw: String, text: String, parseMode: String?)
        switch render(params) {
        case .success(let value): rendered = value
        case .failure(let refusal): return refusal.answer
        }
        let markup = params["reply_markup"]
        if let refusal = validate(markup: markup) { return refusal }
        let inline = markup?["inline_keyboard"] != nil ? markup : nil
        if let markup, markup["keyboard"] != nil {
            chats[chatID, default: Chat()].replyKeyboard = markup
        } else if markup?["remove_keyboard"]?.boolValue == true {
            chats[chatID, default: Chat()].replyKeyboard = nil
        }
        let message = append(
            FakeMessage(
                messageID: 0, chatID: chatID, fromBot: true, rawText: rendered.raw, parseMode: rendered.parseMode,
                text: rendered.text, inlineKeyboard: FakeButton.keyboard(from: inline), replyMarkup: markup,
                editCount: 0, isDeleted: false, date: Self.now
            ))
        return .ok(messageJSON(message, bot: bot))
    }

    private mutating func editMessage(_ params: JSONValue, bot: FakeUser, text: Bool) -> FakeAnswer {
        guard let chatID = params["chat_id"]?.intValue else { return .badRequest("chat_id is empty") }
        guard let messageID = params["message_id"]?.intValue else {
            return .badRequest("message identifier is not specified")
        }
        if chat(chatID).blocked { return .blocked }
        guard var message = chats[chatID]?.message(Int(messageID)), message.fromBot, !message.isDeleted else {
            return .badRequest("message to edit not found")
        }
        let markup = params["reply_markup"]
        if let markup, markup["inline_keyboard"] == nil { return .badRequest("inline keyboard expected") }
        if let refusal = validate(markup: markup) { return refusal }
        var changed = markup != message.replyMarkup
        if text {
            let rendered: (raw: String, text: String, parseMode: String?)
            switch render(params) {
            case .success(let value): rendered = value
            case .failure(let refusal): return refusal.answer
            }
            changed = changed || rendered.text != message.text || rendered.raw != message.rawText
            message.rawText = rendered.raw
            message.text = rendered.text
            message.parseMode = rendered.parseMode
        }
        guard changed else {
            return .badRequest(
                "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"
            )
        }
        message.replyMarkup = markup
        message.inlineKeyboard = FakeButton.keyboard(from: markup)
        message.editCount += 1
        update(message)
        return .ok(messageJSON(message, bot: bot, edited: true))
    }

    private mutating func answerCallbackQuery(_ params: JSONValue) -> FakeAnswer {
        guard let id = params["callback_query_id"]?.stringValue, callbackQueries[id] == false else {
            return .badRequest("query is too old and response timeout expired or query ID is invalid")
        }
        if let text = params["text"]?.stringValue, text.count > 200 { return .badRequest("MESSAGE_TOO_LONG") }
        callbackQueries[id] = true
        return .ok(true)
    }

    private mutating func deleteMessage(_ params: JSONValue) -> FakeAnswer {
        guard let chatID = params["chat_id"]?.intValue, let messageID = params["message_id"]?.intValue,
            var message = chats[chatID]?.message(Int(messageID)), !message.isDeleted
        else {
            return .badRequest("message to delete not found")
        }
        message.isDeleted = true
        update(message)
        return .ok(true)
    }

    private mutating func setMyCommands(_ params: JSONValue) -> FakeAnswer {
        guard let list = params["commands"]?.arrayValue else {
            return .badRequest("parameter \"commands\" is required")
        }
        for command in list {
            let name = command["command"]?.stringValue ?? ""
            let description = command["description"]?.stringValue ?? ""
            let valid =
                (1...32).contains(name.count)
                && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
            guard valid else { return .badRequest("BOT_COMMAND_INVALID") }
            guard (1...256).contains(description.count) else { return .badRequest("BOT_COMMAND_DESCRIPTION_INVALID") }
        }
        commands[commandsKey(params)] = .array(list)
        return .ok(true)
    }

    private func commandsKey(_ params: JSONValue) -> String {
        FakeBotAPIServer.commandsKey(
            scope: params["scope"]?["type"]?.stringValue ?? "default",
            languageCode: params["language_code"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// The text as sent and as seen, or Telegram's refusal.
    private func render(_ params: JSONValue) -> Result<(raw: String, text: String, parseMode: String?), FakeAnswerError>
    {
        guard let raw = params["text"]?.stringValue, !raw.isEmpty else {
            return .failure(FakeAnswerError(.badRequest("message text is empty")))
        }
        let parseMode = params["parse_mode"]?.stringValue
        var text = raw
        if parseMode?.lowercased() == "html" {
            switch TelegramHTML.render(raw) {
            case .success(let plain): text = plain
            case .failure(let error): return .failure(FakeAnswerError(.error(400, error.description)))
            }
        }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return .failure(FakeAnswerError(.badRequest("message text is empty")))
        }
        if text.utf16.count > 4096 { return .failure(FakeAnswerError(.badRequest("message is too long"))) }
        return .success((raw, text, parseMode))
    }

    /// Telegram refuses callback data outside 1...64 bytes and buttons without an action.
    func validate(markup: JSONValue?) -> FakeAnswer? {
        guard let rows = markup?["inline_keyboard"] else { return nil }
        guard let rows = rows.arrayValue else { return .badRequest("field \"inline_keyboard\" must be an Array") }
        for row in rows {
            for button in row.arrayValue ?? [] {
                guard let text = button["text"]?.stringValue, !text.isEmpty else {
                    return .badRequest("BUTTON_TEXT_INVALID")
                }
                if let data = button["callback_data"]?.stringValue {
                    guard (1...64).contains(data.utf8.count) else { return .badRequest("BUTTON_DATA_INVALID") }
                } else if button["url"] == nil {
                    return .badRequest(
                        "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
                }
            }
        }
        return nil
    }

    func messageJSON(_ message: FakeMessage, bot: FakeUser, edited: Bool = false) -> JSONValue {
        var fields: [String: JSONValue] = [
            "message_id": .int(Int64(message.messageID)),
            "chat": users[message.chatID]?.privateChatJSON ?? ["id": .int(message.chatID), "type": "private"],
            "date": .int(Int64(message.date)),
        ]
        if let document = message.document {
            fields["document"] = document
            if !message.text.isEmpty { fields["caption"] = .string(message.text) }
        } else {
            fields["text"] = .string(message.text)
        }
        fields["from"] = message.fromBot ? botJSON(bot) : users[message.chatID]?.json
        if edited { fields["edit_date"] = .int(Int64(Self.now)) }
        if let markup = message.replyMarkup, markup["inline_keyboard"] != nil { fields["reply_markup"] = markup }
        return .object(fields)
    }

    static var now: Int { Int(Date().timeIntervalSince1970) }
}

/// A refusal carried through `Result`.
struct FakeAnswerError: Error {
    var answer: FakeAnswer
    init(_ answer: FakeAnswer) { self.answer = answer }
}
