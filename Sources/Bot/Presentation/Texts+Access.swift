import Foundation
import Storage
import TelegramAPI

/// Sign-in requests, admin decisions and /users, in Russian and English.
extension Texts {
    func firstAdmin(name: String) -> String {
        pick(
            "Готово, \(HTML.escape(name)), вы вошли. Вы первый пользователь и стали администратором бота: заявки других людей придут сюда, список пользователей — /users.",
            "Done, \(HTML.escape(name)), you are signed in. You are the first user and now the bot's administrator: other people's requests come here; the user list is /users."
        )
    }
    var requestSent: String {
        pick(
            "Заявка на доступ отправлена администратору. Я напишу, когда её рассмотрят.",
            "Your request for access has been sent to the administrator. I will tell you when it is decided.")
    }
    var noAdminToAsk: String {
        pick(
            "Заявка записана, но у бота пока нет администратора, который мог бы её одобрить. Обратитесь к тому, кто установил бота.",
            "Your request is recorded, but the bot has no administrator to approve it yet. Please contact whoever installed the bot."
        )
    }
    var stillPending: String {
        pick(
            "Ваша заявка ещё на рассмотрении: администратор её уже получил.",
            "Your request is still pending: the administrator has it already.")
    }
    var requestApproved: String {
        pick(
            "✅ Доступ открыт. Откройте /monitoring, чтобы добавить устройство или сайт.",
            "✅ Your access is approved. Open /monitoring to add a device or a site.")
    }
    var requestDenied: String {
        pick("Администратор отклонил заявку на доступ.", "The administrator declined your request for access.")
    }
    var accessRevoked: String {
        pick(
            "⛔ Ваш доступ к боту отозван, ваши устройства и сайты поставлены на паузу. Обратитесь к администратору.",
            "⛔ Your access to the bot has been revoked and your devices and sites are paused. Please contact the administrator."
        )
    }
    var madeAdmin: String {
        pick(
            "👑 Вы теперь администратор бота: заявки на доступ придут сюда, список пользователей — /users.",
            "👑 You are now an administrator of the bot: access requests come here; the user list is /users.")
    }
    var adminsOnly: String { pick("Это доступно только администраторам.", "Only administrators can do this.") }
    var lastAdmin: String {
        pick(
            "Нельзя отозвать собственный доступ: вы единственный администратор, и управлять ботом стало бы некому. Сначала назначьте другого администратора.",
            "You cannot revoke your own access: you are the only administrator, and no one could manage the bot. Make someone else an administrator first."
        )
    }
    var listedInAdminIDs: String {
        pick(
            "Этот пользователь указан в ADMIN_IDS: его доступ задаётся настройками бота.",
            "This user is listed in ADMIN_IDS: their access is set in the bot's settings.")
    }
    var approveButton: String { pick("✅ Одобрить", "✅ Approve") }
    var denyButton: String { pick("🚫 Отклонить", "🚫 Deny") }
    var revokeButton: String { pick("⛔ Отозвать доступ", "⛔ Revoke access") }
    var makeAdminButton: String { pick("👑 Сделать админом", "👑 Make admin") }

    func accessName(_ access: UserAccess) -> String {
        switch access {
        case .active: pick("активен", "active")
        case .pending: pick("ждёт одобрения", "pending")
        case .denied: pick("отклонён", "denied")
        case .revoked: pick("доступ отозван", "revoked")
        }
    }

    func accessEmoji(_ access: UserAccess) -> String {
        switch access {
        case .active: "🟢"
        case .pending: "⏳"
        case .denied: "🚫"
        case .revoked: "⛔"
        }
    }

    /// Name, @username and phone of someone asking for access (the admin decides who it is).
    func accessRequest(_ user: UserRecord) -> String {
        var lines = [pick("🔔 <b>Заявка на доступ</b>", "🔔 <b>Access request</b>"), identity(user)]
        lines.append(pick("Телефон: +\(HTML.escape(user.phone))", "Phone: +\(HTML.escape(user.phone))"))
        return lines.joined(separator: "\n")
    }

    private func identity(_ user: UserRecord) -> String {
        let username = user.username.map { " @\(HTML.escape($0))" } ?? ""
        return "\(HTML.escape(user.firstName))\(username) · id \(user.id)"
    }

    func usersTitle(_ count: Int) -> String {
        pick("<b>Пользователи</b> — \(count)", "<b>Users</b> — \(count)")
    }

    func userLine(_ user: UserRecord, admin: Bool, monitors: Int) -> String {
        let role = admin ? pick(", админ", ", admin") : ""
        let seen = user.lastSeenAt.map { MonitorFormatting.timestamp($0, self) } ?? "—"
        return pick(
            "\(accessEmoji(user.access)) \(identity(user)) — \(accessName(user.access))\(role) · объектов: \(monitors) · был: \(seen)",
            "\(accessEmoji(user.access)) \(identity(user)) — \(accessName(user.access))\(role) · monitors: \(monitors) · seen: \(seen)"
        )
    }

    func userCard(_ user: UserRecord, admin: Bool, monitors: Int) -> String {
        let seen = user.lastSeenAt.map { MonitorFormatting.timestamp($0, self) } ?? "—"
        return [
            "\(accessEmoji(user.access)) <b>\(HTML.escape(user.firstName))</b>",
            identity(user),
            pick("Телефон: +\(HTML.escape(user.phone))", "Phone: +\(HTML.escape(user.phone))"),
            pick("Статус: \(accessName(user.access))", "Status: \(accessName(user.access))"),
            pick("Роль: \(admin ? "администратор" : "пользователь")", "Role: \(admin ? "administrator" : "user")"),
            pick("Объектов: \(monitors)", "Monitors: \(monitors)"),
            pick("Последний раз: \(seen)", "Last seen: \(seen)"),
        ].joined(separator: "\n")
    }

    func decided(_ action: AccessControl.Action, name: String) -> String {
        switch action {
        case .approve: pick("Одобрено: \(name)", "Approved: \(name)")
        case .deny: pick("Отклонено: \(name)", "Denied: \(name)")
        case .revoke: pick("Доступ отозван: \(name)", "Revoked: \(name)")
        case .makeAdmin: pick("Теперь администратор: \(name)", "Now an administrator: \(name)")
        }
    }

    func alreadyDecided(_ access: UserAccess) -> String {
        pick(
            "Уже решено: пользователь сейчас «\(accessName(access))».",
            "Already decided: the user is now “\(accessName(access))”.")
    }
}
