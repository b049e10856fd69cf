import BSON
import Foundation

/// A person who signed in with their phone number. `_id` is their Telegram user id.
public struct UserRecord: Codable, Sendable, Equatable {
    public var id: Int64
    public var phone: String
    public var firstName: String
    public var username: String?
    /// "ru" or "en": the chat language (from /settings, else Telegram's language at sign-in).
    public var language: String
    public var settings: UserSettings
    /// Set when Telegram says the bot was blocked (403): no more messages are attempted.
    public var unreachable: Bool
    public var createdAt: Date
    /// Admin or plain user; admins approve and revoke the others.
    public var role: UserRole
    /// Whether the user may use the bot now.
    public var access: UserAccess
    /// How the user got in (kept so a phone removed from ALLOWED_PHONES can revoke who it admitted).
    public var grantedBy: AccessGrant?
    /// When the user last sent an update (written at most every few minutes).
    public var lastSeenAt: Date?
    /// Set when access was taken away and the user has not been told yet; cleared once they are.
    public var accessNoticePending: Bool

    public init(
        id: Int64, phone: String, firstName: String, username: String? = nil, language: String = "ru",
        settings: UserSettings = UserSettings(), unreachable: Bool = false, createdAt: Date = Date(),
        role: UserRole = .user, access: UserAccess = .active, grantedBy: AccessGrant? = nil, lastSeenAt: Date? = nil,
        accessNoticePending: Bool = false
    ) {
        self.id = id
        self.phone = phone
        self.firstName = firstName
        self.username = username
        self.language = language
        self.settings = settings
        self.unreachable = unreachable
        self.createdAt = createdAt
        self.role = role
        self.access = access
        self.grantedBy = grantedBy
        self.lastSeenAt = lastSeenAt
        self.accessNoticePending = accessNoticePending
    }

    /// "+7 (999) 123-45-67" and "79991234567" are the same phone: stored and compared as digits only.
    public static func normalizedPhone(_ phone: String) -> String { phone.filter(\.isNumber) }

    enum CodingKeys: String, CodingKey {
        case id = "_id"
        case phone
        case firstName = "first_name"
        case username, language, settings, unreachable
        case createdAt = "created_at"
        case role, access
        case grantedBy = "granted_by"
        case lastSeenAt = "last_seen_at"
        case accessNoticePending = "access_notice_pending"
    }

    // Tolerant: documents edited by hand in mongosh may lack fields or give them another type
    // (`unreachable: 0`); only the id is required, so one such edit never locks the user out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int64.self, forKey: .id)
        phone = (try? c.decodeIfPresent(String.self, forKey: .phone)) ?? ""
        firstName = (try? c.decodeIfPresent(String.self, forKey: .firstName)) ?? ""
        username = try? c.decodeIfPresent(String.self, forKey: .username)
        language = (try? c.decodeIfPresent(String.self, forKey: .language)) ?? "ru"
        settings = (try? c.decodeIfPresent(UserSettings.self, forKey: .settings)) ?? UserSettings()
        if let flag = try? c.decodeIfPresent(Bool.self, forKey: .unreachable) {
            unreachable = flag
        } else if let number = try? c.decodeIfPresent(Int64.self, forKey: .unreachable) {
            unreachable = number != 0
        } else {
            unreachable = false
        }
        createdAt = (try? c.decodeIfPresent(Date.self, forKey: .createdAt)) ?? Date(timeIntervalSince1970: 0)
        // A value mistyped in mongosh reads as the least privilege: a plain user without access.
        // A missing field is a document from before access existed (the migration marks those active).
        role = (try? c.decodeIfPresent(String.self, forKey: .role)).flatMap(UserRole.init(rawValue:)) ?? .user
        if c.contains(.access) {
            access = (try? c.decode(String.self, forKey: .access)).flatMap(UserAccess.init(rawValue:)) ?? .denied
        } else {
            access = .active
        }
        grantedBy = (try? c.decodeIfPresent(String.self, forKey: .grantedBy)).flatMap(AccessGrant.init(rawValue:))
        lastSeenAt = try? c.decodeIfPresent(Date.self, forKey: .lastSeenAt)
        accessNoticePending = (try? c.decodeIfPresent(Bool.self, forKey: .accessNoticePending)) ?? false
    }
}

/// What a user chose in /settings; nil means "the operator's default".
public struct UserSettings: Codable, Sendable, Equatable {
    public var failuresBeforeAlert: Int?
    public var successesBeforeRecovery: Int?
    public var checkIntervalSeconds: Int?
    /// No alerts until then; nil = not muted.
    public var mutedUntil: Date?
    /// Certificate expiry warnings (30/14/7/1 days ahead); nil = on.
    public var certificateWarnings: Bool?

    /// "Still down" reminders every so many hours; nil or 0 = off (the default).
    public var reminderHours: Int?
    /// IANA zone the chat writes this user's times in; nil = the operator's `TZ`.
    public var timeZone: String?
    /// Maintenance of all the user's monitors.
    public var maintenance: [MaintenanceWindow]

    public init(
        failuresBeforeAlert: Int? = nil, successesBeforeRecovery: Int? = nil, checkIntervalSeconds: Int? = nil,
        mutedUntil: Date? = nil, certificateWarnings: Bool? = nil,
        reminderHours: Int? = nil, timeZone: String? = nil, maintenance: [MaintenanceWindow] = []
    ) {
        self.certificateWarnings = certificateWarnings
        self.failuresBeforeAlert = failuresBeforeAlert
        self.successesBeforeRecovery = successesBeforeRecovery
        self.checkIntervalSeconds = checkIntervalSeconds
        self.mutedUntil = mutedUntil
        self.reminderHours = reminderHours
        self.timeZone = timeZone
        self.maintenance = maintenance
    }

    public func isMuted(at now: Date = Date()) -> Bool { mutedUntil.map { $0 > now } ?? false }

    enum CodingKeys: String, CodingKey {
        case failuresBeforeAlert = "failures_before_alert"
        case successesBeforeRecovery = "successes_before_recovery"
        case checkIntervalSeconds = "check_interval"
        case mutedUntil = "muted_until"
        case certificateWarnings = "cert_warnings"
        case reminderHours = "reminder_hours"
        case timeZone = "time_zone"
        case maintenance
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // Clamped (see StoredNumbers): a hand-edited NumberLong must not trap the scheduler.
        failuresBeforeAlert = ((try? c.decodeIfPresent(Int.self, forKey: .failuresBeforeAlert)) ?? nil).map {
            min(max($0, 1), StoredNumbers.maxCount)
        }
        successesBeforeRecovery = ((try? c.decodeIfPresent(Int.self, forKey: .successesBeforeRecovery)) ?? nil).map {
            min(max($0, 1), StoredNumbers.maxCount)
        }
        checkIntervalSeconds = StoredNumbers.interval(
            (try? c.decodeIfPresent(Int.self, forKey: .checkIntervalSeconds)) ?? nil)
        mutedUntil = (try? c.decodeIfPresent(Date.self, forKey: .mutedUntil)) ?? nil
        certificateWarnings = (try? c.decodeIfPresent(Bool.self, forKey: .certificateWarnings)) ?? nil
        reminderHours = ((try? c.decodeIfPresent(Int.self, forKey: .reminderHours)) ?? nil).map {
            min(max($0, 0), 24 * 7)
        }
        timeZone = (try? c.decodeIfPresent(String.self, forKey: .timeZone)) ?? nil
        maintenance = MaintenanceWindow.decodeList(c, key: .maintenance)
    }
}
