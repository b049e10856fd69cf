import Foundation
import Storage
import TelegramAPI

/// Updates from people who have a record but no access (pending, denied, revoked).
enum AccessHandlers {
    /// Refuses the update. A revoked user is told once; a pending one is reminded it is pending.
    static func refuse(_ c: BotContext, _ account: UserRecord) async throws {
        if account.accessNoticePending {
            c.answer()
            try await c.reply(c.texts.accessRevoked, markup: .remove(ReplyKeyboardRemove()))
            _ = try await c.services.repositories.users.setAccess(account.id, AccessChange(noticePending: false))
            return
        }
        switch account.access {
        case .pending:
            c.answer(c.texts.stillPending)
            if c.callback == nil { try await c.reply(c.texts.stillPending) }
        case .active, .denied, .revoked:
            // Told already: a pressed button gets a short answer, messages get none.
            c.answer(c.texts.phoneNotAllowed)
        }
    }
}
