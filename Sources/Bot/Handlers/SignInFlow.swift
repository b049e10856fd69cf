import Foundation
import HumanFormatting
import Storage
import TelegramAPI

/// What sharing one's own phone number leads to, by SIGNUP: in, a request to the admins, or a refusal.
enum SignInFlow {
    static func signIn(_ c: BotContext, phone: String) async throws {
        guard !phone.isEmpty else {
            try await c.reply(c.texts.phoneNotAllowed, markup: .remove(ReplyKeyboardRemove()))
            return
        }
        let users = c.services.repositories.users
        let language = c.account?.language ?? Language(code: c.from.languageCode).rawValue
        let texts = Texts(language: Language(code: language))
        var record = UserRecord(
            id: c.from.id, phone: phone, firstName: c.from.firstName, username: c.from.username, language: language)
        if c.user != nil {
            // Signed in already: the number and names are refreshed, access stays as it is.
            try await users.upsert(record)
            try await c.reply(texts.signedIn(name: c.from.firstName), markup: Keyboards.mainMenu(texts))
            return
        }
        if let account = c.account, account.access == .pending,
            case .admit(let grant) = c.services.access.policy.signInDecision(phone: phone, id: c.from.id)
        {
            // Listed since they asked: in without waiting for an admin.
            try await users.upsert(record)
            _ = try await users.setAccess(account.id, AccessChange(access: .active, grantedBy: grant))
            try await c.reply(texts.signedIn(name: c.from.firstName), markup: Keyboards.mainMenu(texts))
            return
        }
        if let account = c.account {
            // A request is sent once; denied and revoked users ask the admin, not the bot.
            try await c.reply(
                account.access == .pending ? texts.stillPending : texts.phoneNotAllowed,
                markup: .remove(ReplyKeyboardRemove()))
            return
        }
        let access = c.services.access
        var decision = access.policy.signInDecision(phone: phone, id: c.from.id)
        if decision == .firstAdminOrRequest {
            record.role = .admin
            record.grantedBy = .firstUser
            if try await users.count() == 0, try await users.claimFirstAdmin(record) {
                try await c.services.repositories.audit.record(
                    AuditEntry(actorID: c.from.id, action: "first_admin", targetID: c.from.id))
                c.logger.notice("the first user became the admin (SIGNUP=approval, empty database, no ADMIN_IDS)")
                try await c.reply(texts.firstAdmin(name: c.from.firstName), markup: Keyboards.mainMenu(texts))
                return
            }
            record.role = .user
            record.grantedBy = nil
            decision = .request
        }
        switch decision {
        case .admit(let grant):
            record.grantedBy = grant
            try await users.upsert(record)
            try await c.reply(texts.signedIn(name: c.from.firstName), markup: Keyboards.mainMenu(texts))
        case .request, .firstAdminOrRequest:
            record.access = .pending
            try await users.upsert(record)
            let delivered = try await requestApproval(c, record)
            try await c.reply(
                delivered ? texts.requestSent : texts.noAdminToAsk, markup: .remove(ReplyKeyboardRemove()))
        case .refuse:
            c.logger.notice("sign-in refused: phone not in ALLOWED_PHONES (SIGNUP=\(access.policy.signup.rawValue))")
            try await c.reply(texts.phoneNotAllowed, markup: .remove(ReplyKeyboardRemove()))
        }
    }

    /// Sends every admin the request with [Approve] [Deny]; false when no admin got it.
    static func requestApproval(_ c: BotContext, _ user: UserRecord) async throws -> Bool {
        let access = c.services.access
        let admins = try await access.adminIDs()
        let known = try await c.services.repositories.users.list(ids: admins)
        var delivered = 0
        for adminID in admins {
            let language = known.first { $0.id == adminID }?.language ?? Language.ru.rawValue
            let t = Texts(language: Language(code: language))
            let keyboard = InlineKeyboardMarkup([
                [
                    try Keyboards.button(t.approveButton, CallbackData.userApprove + String(user.id)),
                    try Keyboards.button(t.denyButton, CallbackData.userDeny + String(user.id)),
                ]
            ])
            if await access.send(
                t.accessRequest(user), markup: .inline(keyboard), to: adminID, api: c.api, logger: c.logger)
            {
                delivered += 1
            }
        }
        c.logger.notice("access requested", metadata: ["admins_told": "\(delivered)"])
        return delivered > 0
    }
}
