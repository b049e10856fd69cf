import FSM
import Foundation
import Logging
import Storage
import Synchronization
import TelegramAPI

/// Everything a handler needs for one update.
public struct BotContext: Sendable {
    public let update: Update
    /// The Telegram user who sent the update.
    public let from: User
    public let chatID: Int64
    public let api: any BotAPI
    public let fsm: FSMContext
    /// The signed-in user with access, or nil before they shared their phone number or while they have
    /// no access (pending, denied, revoked: see `account`).
    public var user: UserRecord?
    /// The sender's record whatever their access; nil before they shared their phone number.
    public var account: UserRecord?
    public var texts: Texts
    public let services: BotServices
    public var logger: Logger
    /// The answer to the pressed button, which runs beside the handler's work; the dispatcher awaits
    /// it before the update counts as handled.
    let answerCall = SideCall()

    public var message: Message? { update.message }
    public var callback: CallbackQuery? { update.callbackQuery }
    public var text: String? { update.message?.text }

    /// Sends a message to this chat (HTML; every user-provided string must be escaped by the caller).
    public func reply(_ text: String, markup: ReplyMarkup? = nil) async throws {
        try await api.sendMessageDiscardingResult(chatID: chatID, text: text, replyMarkup: markup)
    }

    /// Shows a screen: edits the message the pressed button belongs to, or sends a new one.
    public func show(_ text: String, keyboard: InlineKeyboardMarkup?) async throws {
        if let message = callback?.message {
            let edited = try await editOrReport(messageID: message.messageID, text: text, keyboard: keyboard)
            if edited { return }
        }
        try await reply(text, markup: keyboard.map(ReplyMarkup.inline))
    }

    /// False when the message cannot be edited any more (deleted, or too old): send a new one then.
    private func editOrReport(messageID: Int, text: String, keyboard: InlineKeyboardMarkup?) async throws -> Bool {
        do {
            try await api.editMessageText(chatID: chatID, messageID: messageID, text: text, replyMarkup: keyboard)
            return true
        } catch {
            switch error {
            case .messageToEditNotFound: return false
            case .badRequest(_, let description) where description.contains("can't be edited"): return false
            default: throw error
            }
        }
    }

    /// Answers the pressed button (stops its spinner), optionally with a toast or an alert. Returns at
    /// once: the answer goes out while the handler does its work, so the reply is not one Bot API
    /// round trip later; the update is finished only when the answer is. Telegram takes one answer
    /// per button press, so only the first call of an update sends one.
    public func answer(_ text: String? = nil, alert: Bool = false) {
        guard let callback else { return }
        let api = self.api
        let logger = self.logger
        answerCall.startOnce {
            do {
                try await api.answerCallbackQuery(id: callback.id, text: text, showAlert: alert ? true : nil)
            } catch {
                // A query older than ~15 s cannot be answered any more; nothing to do about it.
                logger.debug("answerCallbackQuery failed", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// A call one update runs beside its handler (answering the pressed button): started once at most.
final class SideCall: Sendable {
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// Starts `work` unless a call was started already (then `work` is dropped).
    func startOnce(_ work: @escaping @Sendable () async -> Void) {
        task.withLock { task in
            if task == nil { task = Task(operation: work) }
        }
    }

    /// Waits for the call, if one was started.
    func finish() async {
        await task.withLock { $0 }?.value
    }
}
