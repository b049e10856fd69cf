import Foundation
import Storage
import TelegramAPI

/// /users and the admin buttons: approve, deny, revoke, make admin. Every button is checked again
/// here (buttons can be forged): a non-admin's press changes nothing and is answered with a refusal.
enum AdminHandlers {
    /// The admin, or nil after refusing a non-admin.
    private static func admin(_ c: BotContext) async throws -> UserRecord? {
        if let user = c.user, c.services.access.policy.isAdmin(user) { return user }
        c.logger.notice("an admin command or button from a non-admin was refused")
        if c.callback != nil {
            c.answer(c.texts.adminsOnly, alert: true)
        } else {
            try await c.reply(c.texts.adminsOnly)
        }
        return nil
    }

    static func list(_ c: BotContext) async throws {
        guard try await admin(c) != nil else { return }
        if c.message != nil { try await c.fsm.clear() }
        c.answer()
        let users = c.services.repositories.users
        let pageSize = max(1, c.services.settings.pageSize)
        let total = try await users.count()
        let pages = max(1, (total + pageSize - 1) / pageSize)
        let page = min(max(0, CallbackData.int(c.callback?.data, prefix: CallbackData.usersPage) ?? 0), pages - 1)
        let shown = try await users.page(skip: page * pageSize, limit: pageSize)
        var lines = [c.texts.usersTitle(total)]
        var rows: [[InlineKeyboardButton]] = []
        for user in shown {
            let monitors = try await c.services.repositories.monitors.count(ownerID: user.id)
            lines.append(c.texts.userLine(user, admin: c.services.access.policy.isAdmin(user), monitors: monitors))
            rows.append([
                try Keyboards.button(
                    "\(c.texts.accessEmoji(user.access)) \(user.firstName)", CallbackData.userOpen + String(user.id))
            ])
        }
        if pages > 1 {
            rows.append([
                try Keyboards.button(
                    page > 0 ? "«" : " ", page > 0 ? CallbackData.usersPage + String(page - 1) : CallbackData.noop),
                try Keyboards.button("\(page + 1)/\(pages)", CallbackData.noop),
                try Keyboards.button(
                    page < pages - 1 ? "»" : " ",
                    page < pages - 1 ? CallbackData.usersPage + String(page + 1) : CallbackData.noop),
            ])
        }
        try await c.show(lines.joined(separator: "\n"), keyboard: InlineKeyboardMarkup(rows))
    }

    static func open(_ c: BotContext) async throws {
        guard try await admin(c) != nil else { return }
        guard let id = CallbackData.userID(c.callback?.data, prefix: CallbackData.userOpen),
            let user = try await c.services.repositories.users.get(id)
        else {
            c.answer(c.texts.outdatedButton)
            return
        }
        c.answer()
        try await showCard(c, user)
    }

    private static func showCard(_ c: BotContext, _ user: UserRecord) async throws {
        let policy = c.services.access.policy
        let monitors = try await c.services.repositories.monitors.count(ownerID: user.id)
        let t = c.texts
        let id = String(user.id)
        var actions: [InlineKeyboardButton] = []
        switch user.access {
        case .pending:
            actions = [
                try Keyboards.button(t.approveButton, CallbackData.userApprove + id),
                try Keyboards.button(t.denyButton, CallbackData.userDeny + id),
            ]
        case .denied, .revoked:
            actions = [try Keyboards.button(t.approveButton, CallbackData.userApprove + id)]
        case .active:
            if !policy.isAdmin(user) {
                actions.append(try Keyboards.button(t.makeAdminButton, CallbackData.userMakeAdmin + id))
            }
            if !policy.adminIDs.contains(user.id) {
                actions.append(try Keyboards.button(t.revokeButton, CallbackData.userRevoke + id))
            }
        }
        var rows = actions.isEmpty ? [] : [actions]
        rows.append([try Keyboards.button(t.backButton, CallbackData.usersPage + "0")])
        try await c.show(
            t.userCard(user, admin: policy.isAdmin(user), monitors: monitors), keyboard: InlineKeyboardMarkup(rows))
    }

    static func decide(_ c: BotContext) async throws {
        guard let actor = try await admin(c) else { return }
        let data = c.callback?.data
        let choices: [(String, AccessControl.Action)] = [
            (CallbackData.userApprove, .approve), (CallbackData.userDeny, .deny),
            (CallbackData.userRevoke, .revoke), (CallbackData.userMakeAdmin, .makeAdmin),
        ]
        guard
            let (action, id) = choices.lazy.compactMap({ prefix, action in
                CallbackData.userID(data, prefix: prefix).map { (action, $0) }
            }).first
        else {
            c.answer(c.texts.outdatedButton)
            return
        }
        let outcome = try await c.services.access.perform(action, on: id, by: actor, api: c.api, logger: c.logger)
        switch outcome {
        case .done(let user):
            c.answer(c.texts.decided(action, name: user.firstName))
            try await showCard(c, user)
        case .notApplicable(let user):
            c.answer(c.texts.alreadyDecided(user.access), alert: true)
            try await showCard(c, user)
        case .noSuchUser:
            c.answer(c.texts.outdatedButton)
        case .lastAdmin:
            c.answer()
            try await c.reply(c.texts.lastAdmin)
        case .listedInAdminIDs:
            c.answer(c.texts.listedInAdminIDs, alert: true)
        }
    }
}
