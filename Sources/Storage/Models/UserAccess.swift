import Foundation

/// What a user may do besides using the bot.
public enum UserRole: String, Codable, Sendable, CaseIterable {
    case admin, user
}

/// Whether a user may use the bot: `active` only; `pending` waits for an admin, `denied` was refused,
/// `revoked` had access and lost it.
public enum UserAccess: String, Codable, Sendable, CaseIterable {
    case active, pending, denied, revoked
}

/// How an active user got in.
public enum AccessGrant: String, Codable, Sendable {
    /// The first user on an empty database (they became the admin).
    case firstUser = "first_user"
    /// Their phone is in ALLOWED_PHONES: removing it revokes them.
    case allowedPhones = "allowed_phones"
    /// Their id is in ADMIN_IDS.
    case adminIDs = "admin_ids"
    /// An admin approved their request.
    case approval
    /// SIGNUP=open let them in.
    case open
    /// They signed in before access existed (schema migration 3): ALLOWED_PHONES, when set, still applies.
    case migrated
}

/// A change of a user's access fields; nil fields stay as they are.
public struct AccessChange: Sendable, Equatable {
    public var access: UserAccess?
    public var role: UserRole?
    public var grantedBy: AccessGrant?
    public var noticePending: Bool?

    public init(
        access: UserAccess? = nil, role: UserRole? = nil, grantedBy: AccessGrant? = nil, noticePending: Bool? = nil
    ) {
        self.access = access
        self.role = role
        self.grantedBy = grantedBy
        self.noticePending = noticePending
    }

    func apply(to user: inout UserRecord) {
        if let access { user.access = access }
        if let role { user.role = role }
        if let grantedBy { user.grantedBy = grantedBy }
        if let noticePending { user.accessNoticePending = noticePending }
    }
}

/// One admin action (or the bot's own, actor 0), kept in `audit` for AUDIT_RETENTION_DAYS.
public struct AuditEntry: Codable, Sendable, Equatable {
    public var at: Date
    /// The admin's Telegram id; 0 for the bot itself (ALLOWED_PHONES applied at start).
    public var actorID: Int64
    public var action: String
    public var targetID: Int64
    public var details: [String: String]

    public init(at: Date = Date(), actorID: Int64, action: String, targetID: Int64, details: [String: String] = [:]) {
        self.at = at
        self.actorID = actorID
        self.action = action
        self.targetID = targetID
        self.details = details
    }

    enum CodingKeys: String, CodingKey {
        case at
        case actorID = "actor_id"
        case action
        case targetID = "target_id"
        case details
    }
}
