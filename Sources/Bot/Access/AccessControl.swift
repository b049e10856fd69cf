import Foundation
import HumanFormatting
import Logging
import Storage
import TelegramAPI

/// Changes of who may use the bot: sign-in requests, admin decisions, revocation of users no longer
/// listed. Every admin decision is written to the audit trail; a revoked user's monitors are paused.
public struct AccessControl: Sendable {
    let repositories: Repositories
    public let policy: AccessPolicy
    /// The actor of changes the bot makes itself (ALLOWED_PHONES applied).
    static let botActor: Int64 = 0

    /// An admin's decision about a user.
    public enum Action: String, Sendable, CaseIterable {
        case approve, deny, revoke
        case makeAdmin = "make_admin"
    }

    /// What became of an admin's decision.
    enum Outcome: Equatable {
        case done(UserRecord)
        case noSuchUser
        /// The user's state does not allow it (already decided, not active, …).
        case notApplicable(UserRecord)
        /// The admin tried to revoke themselves while no other admin exists.
        case lastAdmin
        /// Access of ADMIN_IDS is set by the settings, not in the chat.
        case listedInAdminIDs
    }

    // MARK: Sign-in

    /// Every admin's id: active admins by role and ADMIN_IDS, each once.
    func adminIDs() async throws -> [Int64] {
        let byRole = try await repositories.users.admins().map(\.id)
        return Array(Set(byRole).union(policy.adminIDs)).sorted()
    }

    // MARK: Admin decisions

    /// Applies `action` by `actor` (an admin: the caller checked) to `targetID`.
    func perform(_ action: Action, on targetID: Int64, by actor: UserRecord, api: any BotAPI, logger: Logger)
        async throws -> Outcome
    {
        let users = repositories.users
        guard let target = try await users.get(targetID) else { return .noSuchUser }
        let change: AccessChange
        switch action {
        case .approve:
            guard target.access != .active else { return .notApplicable(target) }
            change = AccessChange(access: .active, grantedBy: .approval, noticePending: false)
        case .deny:
            guard target.access == .pending else { return .notApplicable(target) }
            change = AccessChange(access: .denied)
        case .revoke:
            if policy.adminIDs.contains(target.id) { return .listedInAdminIDs }
            guard target.access == .active else { return .notApplicable(target) }
            if target.id == actor.id, try await adminIDs().filter({ $0 != actor.id }).isEmpty { return .lastAdmin }
            change = AccessChange(access: .revoked, role: .user, noticePending: true)
        case .makeAdmin:
            guard target.access == .active, target.role != .admin else { return .notApplicable(target) }
            change = AccessChange(role: .admin)
        }
        guard var changed = try await users.setAccess(targetID, change) else { return .noSuchUser }
        var details = ["from": target.access.rawValue, "to": changed.access.rawValue]
        if action == .revoke {
            details["monitors_paused"] = String(try await pauseMonitors(of: targetID))
        }
        try await repositories.audit.record(
            AuditEntry(actorID: actor.id, action: action.rawValue, targetID: targetID, details: details))
        logger.notice(
            "access changed by an admin", metadata: ["action": "\(action.rawValue)", "target": "\(targetID)"])
        if try await tell(changed, about: action, api: api, logger: logger), action == .revoke {
            changed = try await users.setAccess(targetID, AccessChange(noticePending: false)) ?? changed
        }
        return .done(changed)
    }

    /// Sends the user the outcome in their language; false when it could not be delivered.
    private func tell(_ user: UserRecord, about action: Action, api: any BotAPI, logger: Logger) async throws -> Bool {
        let t = Texts(language: Language(code: user.language))
        let text: String
        var markup: ReplyMarkup?
        switch action {
        case .approve:
            text = t.requestApproved
            markup = Keyboards.mainMenu(t)
        case .deny:
            text = t.requestDenied
            markup = .remove(ReplyKeyboardRemove())
        case .revoke:
            text = t.accessRevoked
            markup = .remove(ReplyKeyboardRemove())
        case .makeAdmin: text = t.madeAdmin
        }
        return await send(text, markup: markup, to: user.id, api: api, logger: logger)
    }

    /// One message to another user; a failure is logged (a blocked bot marks them unreachable).
    func send(_ text: String, markup: ReplyMarkup? = nil, to chatID: Int64, api: any BotAPI, logger: Logger) async
        -> Bool
    {
        do {
            try await api.sendMessageDiscardingResult(chatID: chatID, text: text, replyMarkup: markup)
            return true
        } catch {
            if case .forbidden = error { try? await repositories.users.setUnreachable(chatID, true) }
            logger.warning("could not message a user about access", metadata: ["to": "\(chatID)", "error": "\(error)"])
            return false
        }
    }

    /// Pauses every enabled monitor of the user; returns how many.
    func pauseMonitors(of ownerID: Int64) async throws -> Int {
        var paused = 0
        for monitor in try await repositories.monitors.list(ownerID: ownerID) where monitor.enabled {
            if try await repositories.monitors.update(monitor.id, ownerID: ownerID, MonitorChanges(enabled: false))
                != nil
            {
                paused += 1
            }
        }
        return paused
    }

    // MARK: Lists that changed

    /// Revokes the user when the list that admitted them no longer does (told on their next update).
    /// Returns the user as they now are.
    func recheck(_ user: UserRecord, logger: Logger) async throws -> UserRecord {
        guard policy.listingLapsed(user) else { return user }
        return try await revokeUnlisted(user, logger: logger) ?? user
    }

    private func revokeUnlisted(_ user: UserRecord, logger: Logger) async throws -> UserRecord? {
        let revoked = try await repositories.users.setAccess(
            user.id, AccessChange(access: .revoked, noticePending: true))
        let paused = try await pauseMonitors(of: user.id)
        try await repositories.audit.record(
            AuditEntry(
                actorID: Self.botActor, action: "revoke_unlisted", targetID: user.id,
                details: ["from": user.access.rawValue, "to": "revoked", "monitors_paused": String(paused)]))
        logger.notice(
            "access revoked: no longer in ALLOWED_PHONES / ADMIN_IDS",
            metadata: ["user": "\(user.id)", "monitors_paused": "\(paused)"])
        return revoked
    }

    /// At start: under SIGNUP=approval, whether requests can be decided at all. A database that has
    /// users but no admin (one from before access existed) makes no one admin by being first.
    public func adminlessWarning() async throws -> String? {
        guard policy.signup == .approval, policy.adminIDs.isEmpty, try await repositories.users.admins().isEmpty,
            try await repositories.users.count() > 0
        else { return nil }
        return
            "SIGNUP=approval but no user is an admin and ADMIN_IDS is empty: access requests cannot be approved; set ADMIN_IDS or make a user admin in mongosh (docs/OPERATIONS.md)"
    }

    /// At start: revokes every user whom ALLOWED_PHONES or ADMIN_IDS admitted and no longer lists.
    /// Returns how many.
    public func revokeUnlistedUsers(logger: Logger) async throws -> Int {
        let pageSize = 500
        var skip = 0
        var lapsed: [UserRecord] = []
        while true {
            let page = try await repositories.users.page(skip: skip, limit: pageSize)
            lapsed += page.filter(policy.listingLapsed)
            guard page.count == pageSize else { break }
            skip += pageSize
        }
        for user in lapsed { _ = try await revokeUnlisted(user, logger: logger) }
        return lapsed.count
    }
}
