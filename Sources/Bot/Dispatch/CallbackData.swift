import BSON

/// Callback data of every button: short prefixes (Telegram allows 64 bytes; an ObjectId takes 24).
enum CallbackData {
    static let listPage = "ml:"  // ml:<page>
    static let open = "mo:"  // mo:<id>
    static let add = "add"
    static let kind = "mk:"  // mk:icmp | mk:http
    static let skipName = "skip"
    static let cancel = "cancel"
    static let rename = "mr:"
    static let retarget = "mt:"
    static let pause = "mp:"
    static let resume = "mu:"
    static let askDelete = "md:"
    static let confirmDelete = "mD:"
    static let settingsLanguage = "sl:"  // sl:ru
    static let settingsFailures = "sf:"  // sf:3
    static let settingsInterval = "si:"  // si:60
    static let settingsMute = "sm:"  // sm:<minutes>, sm:0 = unmute
    static let settingsCertificates = "sc:"  // sc:1 | sc:0
    // One monitor's own settings (the item view's ⚙️): o<letter>:[<field>:]<id>.
    static let monitorSettings = "os:"  // os:<id>
    static let monitorSettingAsk = "of:"  // of:<field>:<id>
    static let monitorSettingReset = "oz:"  // oz:<field>:<id>
    static let monitorMethod = "om:"  // om:<id> (GET ↔ HEAD)
    static let monitorKeywordMode = "ox:"  // ox:<id> (present ↔ absent)
    static let noop = "noop"
    static let export = "ex:"  // ex:json | ex:csv
    static let bulkDone = "bd"
    // Admin buttons carry the target's Telegram id (at most 20 digits): well under 64 bytes.
    static let userApprove = "ua:"  // ua:<user id>
    static let userDeny = "ud:"
    static let userRevoke = "ur:"
    static let userMakeAdmin = "uA:"
    static let userOpen = "uo:"
    static let usersPage = "ul:"  // ul:<page>

    /// The ObjectId after a prefix, or nil for anything malformed (buttons can be forged).
    static func monitorID(_ data: String?, prefix: String) -> ObjectId? {
        guard let data, data.hasPrefix(prefix) else { return nil }
        return ObjectId(hex: String(data.dropFirst(prefix.count)))
    }

    /// "<field>:<id>" after a prefix; nil for anything malformed.
    static func fieldAndMonitor(_ data: String?, prefix: String) -> (MonitorSettingField, ObjectId)? {
        guard let data, data.hasPrefix(prefix) else { return nil }
        let parts = data.dropFirst(prefix.count).split(separator: ":")
        guard parts.count == 2, let field = MonitorSettingField(rawValue: String(parts[0])),
            let id = ObjectId(hex: String(parts[1]))
        else { return nil }
        return (field, id)
    }

    static func userID(_ data: String?, prefix: String) -> Int64? {
        guard let data, data.hasPrefix(prefix) else { return nil }
        return Int64(data.dropFirst(prefix.count))
    }

    static func int(_ data: String?, prefix: String) -> Int? {
        guard let data, data.hasPrefix(prefix) else { return nil }
        return Int(data.dropFirst(prefix.count))
    }
}
