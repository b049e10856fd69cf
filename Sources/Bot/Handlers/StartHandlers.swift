import FSM
import Foundation
import HumanFormatting
import Storage
import TelegramAPI

/// Sign-in: /start, then the user shares their own phone number.
enum StartHandlers {
    static func start(_ c: BotContext) async throws {
        try await c.fsm.clear()
        if let user = c.user {
            try await c.reply(c.texts.welcomeBack(name: user.firstName), markup: Keyboards.mainMenu(c.texts))
        } else if let account = c.account {
            try await c.reply(
                account.access == .pending ? c.texts.stillPending : c.texts.phoneNotAllowed,
                markup: .remove(ReplyKeyboardRemove()))
        } else {
            try await c.reply(c.texts.greeting(name: c.from.firstName), markup: Keyboards.sharePhone(c.texts))
        }
    }

    static func askToSignIn(_ c: BotContext) async throws {
        c.answer(c.texts.signInFirst)
        try await c.reply(c.texts.signInFirst, markup: Keyboards.sharePhone(c.texts))
    }

    static func contact(_ c: BotContext) async throws {
        guard let contact = c.message?.contact else { return }
        // Only the user's own number signs them in; a forwarded contact card is someone else's.
        guard contact.userID == c.from.id else {
            try await c.reply(c.texts.shareOwnContact, markup: Keyboards.sharePhone(c.texts))
            return
        }
        try await SignInFlow.signIn(c, phone: UserRecord.normalizedPhone(contact.phoneNumber))
    }

    static func help(_ c: BotContext) async throws {
        try await c.reply(c.texts.help, markup: c.user == nil ? nil : Keyboards.mainMenu(c.texts))
    }

    static func cancel(_ c: BotContext) async throws {
        let hadState = try await c.fsm.getState() != nil
        try await c.fsm.clear()
        if c.callback != nil {
            c.answer()
            try await c.show(c.texts.cancelled, keyboard: nil)
        } else {
            try await c.reply(
                hadState ? c.texts.cancelled : c.texts.nothingToCancel, markup: Keyboards.mainMenu(c.texts))
        }
    }
}
