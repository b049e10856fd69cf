import BSON
import Storage

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
    static let settingsReminder = "sr:"  // sr:<hours>, sr:0 = off
    static let settingsZone = "sz"  // start typing a time zone
    static let settingsZoneChoice = "sZ:"  // sZ:<IANA zone> (a suggestion)
    // Under alerts (written by the monitor into the outbox; see AlertActions).
    static let alertOpen = AlertActions.open  // ao:<id>
    static let alertAcknowledge = AlertActions.acknowledge  // ak:<id>:<counter>
    static let alertMaintenance = AlertActions.maintenanceHour  // am:<id>
    static let alertPause = AlertActions.pause  // ap:<id>
    // Maintenance of one monitor (<id>) or of all the owner's ("all").
    static let maintenanceMenu = "wm:"  // wm:<id|all>
    static let maintenanceFor = "ws:"  // ws:<id|all>:<minutes>
    static let maintenanceUntil = "wu:"  // wu:<id|all>: type a time
    static let maintenanceWeekly = "ww:"  // ww:<id|all>: type a weekly window
    static let maintenanceEnd = "we:"  // we:<id|all>: remove the windows
    static let allMonitors = "all"
    // Dependencies.
    static let dependsMenu = "dm:"  // dm:<child id>
    static let dependsSet = "ds:"  // ds:<child id>:<parent id | ->
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

    /// A maintenance button's subject: one monitor, or all of the owner's (nil id); then what follows it.
    static func maintenanceSubject(_ data: String?, prefix: String) -> (id: ObjectId?, rest: Substring)? {
        guard let data, data.hasPrefix(prefix) else { return nil }
        let parts = data.dropFirst(prefix.count).split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let head = parts.first else { return nil }
        let rest = parts.count > 1 ? parts[1] : ""
        if head == allMonitors { return (nil, rest) }
        guard let id = ObjectId(hex: String(head)) else { return nil }
        return (id, rest)
    }

    static func int(_ data: String?, prefix: String) -> Int? {
        guard let data, data.hasPrefix(prefix) else { return nil }
        return Int(data.dropFirst(prefix.count))
    }
}
