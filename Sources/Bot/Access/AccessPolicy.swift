import Foundation
import Storage

/// How people who are not listed in ALLOWED_PHONES or ADMIN_IDS get in (SIGNUP).
public enum SignupPolicy: String, Sendable, CaseIterable {
    /// They send a request; an admin approves or denies it. The first user of an empty database
    /// (without ADMIN_IDS) becomes the admin.
    case approval
    /// Anyone may sign in while ALLOWED_PHONES is empty (the bot's behaviour before access existed).
    case open
    /// Only listed people.
    case closed

    public static let `default` = SignupPolicy.approval
}

/// Who may use the bot, decided from the operator's settings and a user's record; no side effects.
public struct AccessPolicy: Sendable {
    public let signup: SignupPolicy
    public let allowedPhones: Set<String>
    public let adminIDs: Set<Int64>

    /// What sharing one's own contact leads to for someone without a record.
    enum SignInDecision: Equatable {
        case admit(AccessGrant)
        /// Becomes the admin if no one has before (an empty database without ADMIN_IDS).
        case firstAdminOrRequest
        case request
        case refuse
    }

    func isListed(phone: String, id: Int64) -> Bool { allowedPhones.contains(phone) || adminIDs.contains(id) }

    func signInDecision(phone: String, id: Int64) -> SignInDecision {
        if adminIDs.contains(id) { return .admit(.adminIDs) }
        if allowedPhones.contains(phone) { return .admit(.allowedPhones) }
        switch signup {
        case .closed: return .refuse
        case .open: return allowedPhones.isEmpty ? .admit(.open) : .refuse
        case .approval: return adminIDs.isEmpty ? .firstAdminOrRequest : .request
        }
    }

    public func isAdmin(_ user: UserRecord) -> Bool {
        adminIDs.contains(user.id) || (user.role == .admin && user.access == .active)
    }

    /// Whether the user may use the bot now. ADMIN_IDS always may.
    public func mayUse(_ user: UserRecord) -> Bool { adminIDs.contains(user.id) || user.access == .active }

    /// True for an active user who got in through a list they are no longer on: a phone removed
    /// from ALLOWED_PHONES, an id removed from ADMIN_IDS. Admins by role and approved users are kept.
    func listingLapsed(_ user: UserRecord) -> Bool {
        guard user.access == .active, user.role != .admin, !isListed(phone: user.phone, id: user.id) else {
            return false
        }
        switch user.grantedBy {
        case .allowedPhones, .adminIDs: return true
        // Before access existed every user passed ALLOWED_PHONES when it was set.
        case .migrated, nil: return !allowedPhones.isEmpty
        case .firstUser, .approval, .open: return false
        }
    }
}
