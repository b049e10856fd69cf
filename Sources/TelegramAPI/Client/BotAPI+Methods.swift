import Foundation

/// The methods the bot uses, with the refusals that are not failures turned into results.
extension BotAPI {
    public func getMe() async throws(TelegramError) -> User {
        try await call(GetMe())
    }

    @discardableResult
    public func sendMessage(
        chatID: Int64, text: String, parseMode: ParseMode? = .html, replyMarkup: ReplyMarkup? = nil,
        linkPreviewOptions: LinkPreviewOptions? = .disabled, disableNotification: Bool? = nil
    ) async throws(TelegramError) -> Message {
        try await call(
            SendMessage(
                chatID: chatID, text: text, parseMode: parseMode, replyMarkup: replyMarkup,
                linkPreviewOptions: linkPreviewOptions, disableNotification: disableNotification))
    }

    /// `sendMessage` for callers that do not read the sent message back: Telegram's echo of it is not decoded.
    public func sendMessageDiscardingResult(
        chatID: Int64, text: String, parseMode: ParseMode? = .html, replyMarkup: ReplyMarkup? = nil,
        linkPreviewOptions: LinkPreviewOptions? = .disabled, disableNotification: Bool? = nil
    ) async throws(TelegramError) {
        _ = try await call(
            DiscardingResult(
                SendMessage(
                    chatID: chatID, text: text, parseMode: parseMode, replyMarkup: replyMarkup,
                    linkPreviewOptions: linkPreviewOptions, disableNotification: disableNotification)))
    }

    /// Edits a message's text; `.notModified` when it already read so.
    /// Throws `.messageToEditNotFound` when it is gone: send a new message then.
    @discardableResult
    public func editMessageText(
        chatID: Int64, messageID: Int, text: String, parseMode: ParseMode? = .html,
        replyMarkup: InlineKeyboardMarkup? = nil, linkPreviewOptions: LinkPreviewOptions? = .disabled
    ) async throws(TelegramError) -> EditOutcome {
        try await edit(
            EditMessageText(
                chatID: chatID, messageID: messageID, text: text, parseMode: parseMode,
                replyMarkup: replyMarkup, linkPreviewOptions: linkPreviewOptions))
    }

    /// Replaces (or with nil removes) a message's inline keyboard; `.notModified` when unchanged.
    @discardableResult
    public func editMessageReplyMarkup(
        chatID: Int64, messageID: Int, replyMarkup: InlineKeyboardMarkup?
    ) async throws(TelegramError) -> EditOutcome {
        try await edit(EditMessageReplyMarkup(chatID: chatID, messageID: messageID, replyMarkup: replyMarkup))
    }

    public func answerCallbackQuery(
        id: String, text: String? = nil, showAlert: Bool? = nil
    ) async throws(TelegramError) {
        _ = try await call(AnswerCallbackQuery(callbackQueryID: id, text: text, showAlert: showAlert))
    }

    /// Deletes a message; false when it was already gone (deleting is idempotent for the bot).
    @discardableResult
    public func deleteMessage(chatID: Int64, messageID: Int) async throws(TelegramError) -> Bool {
        do throws(TelegramError) {
            return try await call(DeleteMessage(chatID: chatID, messageID: messageID))
        } catch let .badRequest(_, description)
            where description.localizedCaseInsensitiveContains("message to delete not found")
        {
            return false
        }
    }

    /// Sets the "/" menu for one language ("ru", "en"; nil for everyone without one).
    public func setMyCommands(
        _ commands: [BotCommand], languageCode: String? = nil, scope: BotCommandScope? = nil
    ) async throws(TelegramError) {
        _ = try await call(SetMyCommands(commands: commands, scope: scope, languageCode: languageCode))
    }

    public func deleteWebhook(dropPendingUpdates: Bool = false) async throws(TelegramError) {
        _ = try await call(DeleteWebhook(dropPendingUpdates: dropPendingUpdates))
    }

    private func edit<M: BotMethod>(_ method: M) async throws(TelegramError) -> EditOutcome {
        do throws(TelegramError) {
            _ = try await call(DiscardingResult(method))
            return .edited
        } catch .messageNotModified {
            return .notModified
        }
    }
}
