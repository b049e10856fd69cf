/// Scripted users: each helper puts the update a real client would produce into the queue that
/// getUpdates serves, and records the user's own message in the chat.
extension FakeBotAPIServer {
    /// The user types a text message.
    @discardableResult
    public func sendText(from user: FakeUser, text: String) -> ScriptedUpdate {
        postMessage(from: user) { _ in ["text": .string(text)] }
    }

    /// The user sends `/command arguments` (with the `bot_command` entity clients attach).
    @discardableResult
    public func sendCommand(from user: FakeUser, _ command: String, arguments: String? = nil) -> ScriptedUpdate {
        let name = command.hasPrefix("/") ? command : "/\(command)"
        let text = arguments.map { "\(name) \($0)" } ?? name
        return postMessage(from: user) { _ in
            [
                "text": .string(text),
                "entities": [["type": "bot_command", "offset": 0, "length": .int(Int64(name.utf16.count))]],
            ]
        }
    }

    /// The user shares a contact, as the `request_contact` button does. `userID` defaults to the
    /// user's own id; pass another (or nil) to script someone forwarding a stranger's card.
    @discardableResult
    public func shareContact(from user: FakeUser, phone: String, userID: Int64?? = .none) -> ScriptedUpdate {
        let owner: Int64? = userID ?? user.id
        return postMessage(from: user) { _ in
            var contact: [String: JSONValue] = ["phone_number": .string(phone), "first_name": .string(user.firstName)]
            if let owner { contact["user_id"] = .int(owner) }
            return ["contact": .object(contact)]
        }
    }

    /// The user presses the inline button carrying `callbackData` under the bot's message.
    /// Throws when that message has no such button: a real user cannot press it.
    @discardableResult
    public func pressButton(from user: FakeUser, callbackData: String, on messageID: Int) throws -> ScriptedUpdate {
        let message = try botMessage(chat: user.chatID, id: messageID)
        guard message.buttons.contains(where: { $0.callbackData == callbackData }) else {
            throw FakeBotAPIError.noSuchButton("with data \"\(callbackData)\"", messageID: messageID)
        }
        return sendCallbackQuery(from: user, data: callbackData, on: messageID)
    }

    /// The user presses the inline button labelled `label` (or whose label contains it).
    @discardableResult
    public func pressButton(from user: FakeUser, labelled label: String, on messageID: Int) throws -> ScriptedUpdate {
        let message = try botMessage(chat: user.chatID, id: messageID)
        guard let data = message.button(labelled: label)?.callbackData else {
            throw FakeBotAPIError.noSuchButton("labelled \"\(label)\"", messageID: messageID)
        }
        return sendCallbackQuery(from: user, data: data, on: messageID)
    }

    /// A callback query with any data, no button needed: a forged or stale press.
    @discardableResult
    public func sendCallbackQuery(from user: FakeUser, data: String, on messageID: Int) -> ScriptedUpdate {
        let bot = botUser
        var queryID = ""
        let (updateID, poll) = state.withLock { state in
            state.users[user.id] = user
            queryID = "\(user.id)-\(state.nextCallbackQuery)"
            state.nextCallbackQuery += 1
            state.callbackQueries[queryID] = false
            let message =
                state.chats[user.chatID]?.message(messageID)
                .map { state.messageJSON($0, bot: bot) }
                ?? ["message_id": .int(Int64(messageID)), "chat": user.privateChatJSON, "date": 0]
            return state.enqueue { id in
                [
                    "update_id": .int(id),
                    "callback_query": [
                        "id": .string(queryID), "from": user.json, "message": message,
                        "chat_instance": .string("ci\(user.chatID)"), "data": .string(data),
                    ],
                ]
            }
        }
        wake(poll)
        return ScriptedUpdate(updateID: updateID, messageID: nil, callbackQueryID: queryID)
    }

    /// Any update JSON, for shapes the helpers do not cover; `update_id` is filled in.
    @discardableResult
    public func enqueueRawUpdate(_ fields: [String: JSONValue]) -> Int64 {
        let (id, poll) = state.withLock { state in
            state.enqueue { id in
                var fields = fields
                fields["update_id"] = .int(id)
                return .object(fields)
            }
        }
        wake(poll)
        return id
    }

    func postMessage(from user: FakeUser, content: (inout FakeState) -> [String: JSONValue]) -> ScriptedUpdate {
        var messageID = 0
        let (updateID, poll) = state.withLock { state in
            state.users[user.id] = user
            let fields = content(&state)
            let shown = fields["text"]?.stringValue ?? fields["caption"]?.stringValue ?? ""
            let stored = state.append(
                FakeMessage(
                    messageID: 0, chatID: user.chatID, fromBot: false,
                    rawText: shown, parseMode: nil, text: shown, inlineKeyboard: [], replyMarkup: nil, editCount: 0,
                    isDeleted: false, date: FakeState.now, document: fields["document"]
                ))
            messageID = stored.messageID
            var message = fields
            message["message_id"] = .int(Int64(stored.messageID))
            message["from"] = user.json
            message["chat"] = user.privateChatJSON
            message["date"] = .int(Int64(stored.date))
            return state.enqueue { id in ["update_id": .int(id), "message": .object(message)] }
        }
        wake(poll)
        return ScriptedUpdate(updateID: updateID, messageID: messageID, callbackQueryID: nil)
    }

    private func botMessage(chat: Int64, id: Int) throws -> FakeMessage {
        guard let message = state.withLock({ $0.chats[chat]?.message(id) }), message.fromBot, !message.isDeleted else {
            throw FakeBotAPIError.noSuchMessage(chat: chat, messageID: id)
        }
        return message
    }

    private func wake(_ poll: FakeState.PollWaiter?) {
        poll?.timer?.cancel()
        poll?.continuation.resume(returning: .newUpdates)
    }
}
