import BSON
import Foundation
import Targets

public enum MonitorStatus: String, Codable, Sendable {
    case unknown, up, down
}

/// The outcome of the latest check, kept on the monitor for the list view.
public struct LastCheck: Codable, Sendable, Equatable {
    public var at: Date
    public var ok: Bool
    public var rttMs: Double?
    public var httpStatus: Int?
    public var error: String?

    public init(at: Date, ok: Bool, rttMs: Double? = nil, httpStatus: Int? = nil, error: String? = nil) {
        self.at = at
        self.ok = ok
        self.rttMs = rttMs
        self.httpStatus = httpStatus
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case at, ok
        case rttMs = "rtt_ms"
        case httpStatus = "http_status"
        case error
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        at = try c.decode(Date.self, forKey: .at)
        ok = try c.decode(Bool.self, forKey: .ok)
        rttMs = StoredNumbers.milliseconds((try? c.decodeIfPresent(Double.self, forKey: .rttMs)) ?? nil)
        httpStatus = (try? c.decodeIfPresent(Int.self, forKey: .httpStatus)) ?? nil
        error = (try? c.decodeIfPresent(String.self, forKey: .error)) ?? nil
    }
}

/// One watched target of one owner.
public struct MonitorRecord: Codable, Sendable, Equatable, Identifiable {
    public var id: ObjectId
    public var ownerID: Int64
    public var kind: TargetKind
    public var target: String
    public var name: String
    public var enabled: Bool
    /// Seconds between checks; nil = the owner's or the operator's default.
    public var intervalSeconds: Int?
    /// HTTP only: text the page must contain.
    public var keyword: String?
    public var status: MonitorStatus
    public var statusSince: Date?
    public var failStreak: Int
    public var successStreak: Int
    public var lastCheck: LastCheck?
    /// Status changes so far (`transitions`): an alert's dedupe key is built from it, never from a clock.
    public var transitions: Int
    /// Alerts written with the latest states and not yet moved to the outbox (see `PendingAlert`).
    public var pendingAlerts: [PendingAlert]
    /// Bumped by every edit that changes what is checked or whether (`revision`): results are
    /// written only while it is the one they were checked under, so a late result of an old
    /// target, or of a paused monitor, changes nothing and alerts nobody.
    public var revision: Int
    /// Who took the current outage (`ack`); valid while `ack.counter == transitions` and it is down.
    public var ack: Acknowledgement?
    /// The monitor this one sits behind (`depends_on`): while it is down, this one's down alerts wait.
    public var dependsOn: ObjectId?
    /// Planned maintenance of this monitor (`maintenance`); the owner's windows for all are in their settings.
    public var maintenance: [MaintenanceWindow]
    /// An alert kept back by maintenance or a down parent (`held_alert`), sent when that is over.
    public var heldAlert: HeldAlert?
    public var createdAt: Date
    public var updatedAt: Date
    /// The owner's choices for this monitor alone (`options`; see `MonitorOptions`).
    public var options = MonitorOptions()
    /// The slow (🟡) state beside the status (`slow`).
    public var slow = SlowState()
    /// HTTPS: the certificate last seen and the expiry warnings sent for it (`certificate`).
    public var certificate: CertificateRecord?

    /// The acknowledgement of the outage the monitor is in now, if someone took it.
    public var currentAck: Acknowledgement? {
        guard status == .down, let ack, ack.counter == transitions else { return nil }
        return ack
    }

    public init(
        id: ObjectId = ObjectId(), ownerID: Int64, kind: TargetKind, target: String, name: String,
        enabled: Bool = true, intervalSeconds: Int? = nil, keyword: String? = nil, status: MonitorStatus = .unknown,
        statusSince: Date? = nil, failStreak: Int = 0, successStreak: Int = 0, lastCheck: LastCheck? = nil,
        transitions: Int = 0, pendingAlerts: [PendingAlert] = [], revision: Int = 0, ack: Acknowledgement? = nil,
        dependsOn: ObjectId? = nil, maintenance: [MaintenanceWindow] = [], heldAlert: HeldAlert? = nil,
        createdAt: Date = Date(), updatedAt: Date = Date()
    ) {
        self.id = id
        self.ownerID = ownerID
        self.kind = kind
        self.target = target
        self.name = name
        self.enabled = enabled
        self.intervalSeconds = intervalSeconds
        self.keyword = keyword
        self.status = status
        self.statusSince = statusSince
        self.failStreak = failStreak
        self.successStreak = successStreak
        self.lastCheck = lastCheck
        self.transitions = transitions
        self.pendingAlerts = pendingAlerts
        self.revision = revision
        self.ack = ack
        self.dependsOn = dependsOn
        self.maintenance = maintenance
        self.heldAlert = heldAlert
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id = "_id"
        case ownerID = "owner_id"
        case kind, target, name, enabled
        case intervalSeconds = "interval"
        case keyword, status
        case statusSince = "status_since"
        case failStreak = "fail_streak"
        case successStreak = "success_streak"
        case lastCheck = "last_check"
        case transitions
        case pendingAlerts = "pending_alerts"
        case revision, ack
        case dependsOn = "depends_on"
        case maintenance
        case heldAlert = "held_alert"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case options, slow, certificate
    }

    // Tolerant of hand-edited documents: only _id, owner, kind and target are required.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(ObjectId.self, forKey: .id)
        ownerID = try c.decode(Int64.self, forKey: .ownerID)
        kind = try c.decode(TargetKind.self, forKey: .kind)
        target = try c.decode(String.self, forKey: .target)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? target
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        // Numbers are clamped (see StoredNumbers): a hand-edited value must not trap the scheduler.
        intervalSeconds = StoredNumbers.interval((try? c.decodeIfPresent(Int.self, forKey: .intervalSeconds)) ?? nil)
        keyword = try? c.decodeIfPresent(String.self, forKey: .keyword)
        status = (try? c.decodeIfPresent(MonitorStatus.self, forKey: .status)) ?? .unknown
        statusSince = try? c.decodeIfPresent(Date.self, forKey: .statusSince)
        failStreak = StoredNumbers.count((try? c.decodeIfPresent(Int.self, forKey: .failStreak)) ?? nil)
        successStreak = StoredNumbers.count((try? c.decodeIfPresent(Int.self, forKey: .successStreak)) ?? nil)
        lastCheck = try? c.decodeIfPresent(LastCheck.self, forKey: .lastCheck)
        transitions = StoredNumbers.count((try? c.decodeIfPresent(Int.self, forKey: .transitions)) ?? nil)
        pendingAlerts = (try? c.decodeIfPresent([PendingAlert].self, forKey: .pendingAlerts)) ?? []
        revision = StoredNumbers.count((try? c.decodeIfPresent(Int.self, forKey: .revision)) ?? nil)
        ack = (try? c.decodeIfPresent(Acknowledgement.self, forKey: .ack)) ?? nil
        dependsOn = (try? c.decodeIfPresent(ObjectId.self, forKey: .dependsOn)) ?? nil
        maintenance = MaintenanceWindow.decodeList(c, key: .maintenance)
        heldAlert = (try? c.decodeIfPresent(HeldAlert.self, forKey: .heldAlert)) ?? nil
        createdAt = (try? c.decodeIfPresent(Date.self, forKey: .createdAt)) ?? id.date
        updatedAt = (try? c.decodeIfPresent(Date.self, forKey: .updatedAt)) ?? createdAt
        // Newer fields: absent in older documents, read as "nothing chosen" / "not slow" / "not seen".
        options = ((try? c.decodeIfPresent(MonitorOptions.self, forKey: .options)) ?? nil) ?? MonitorOptions()
        slow = ((try? c.decodeIfPresent(SlowState.self, forKey: .slow)) ?? nil) ?? SlowState()
        certificate = (try? c.decodeIfPresent(CertificateRecord.self, forKey: .certificate)) ?? nil
    }
}

/// The alert state the monitor service writes after a check.
public struct MonitorCheckState: Sendable, Equatable {
    public var status: MonitorStatus
    public var statusSince: Date?
    public var failStreak: Int
    public var successStreak: Int
    public var lastCheck: LastCheck
    /// The monitor's transition counter after this check.
    public var transitions: Int
    /// Alerts to write in the same update as this state (added to `pending_alerts`, never replacing).
    public var alerts: [PendingAlert]
    /// The monitor's revision the check ran under; the write applies only while it is current
    /// (nil: whatever the revision).
    public var revision: Int?
    /// The slow state after this check; nil leaves the stored one as it is.
    public var slow: SlowState?
    /// The certificate seen by this check (and the warnings sent for it); nil leaves the stored one.
    public var certificate: CertificateRecord?
    /// The alert kept back after this check (written as `held_alert`, removed when nil).
    public var heldAlert: HeldAlert?
    /// In a cluster: the epoch of the lease of the monitor's partition held by the instance that
    /// checked it. Stored on the monitor; a write under an older epoch than stored is refused.
    public var partitionEpoch: Int64?

    public init(
        status: MonitorStatus, statusSince: Date?, failStreak: Int, successStreak: Int, lastCheck: LastCheck,
        transitions: Int = 0, alerts: [PendingAlert] = [], revision: Int? = nil, slow: SlowState? = nil,
        certificate: CertificateRecord? = nil, heldAlert: HeldAlert? = nil
    ) {
        self.slow = slow
        self.certificate = certificate
        self.status = status
        self.statusSince = statusSince
        self.failStreak = failStreak
        self.successStreak = successStreak
        self.lastCheck = lastCheck
        self.transitions = transitions
        self.alerts = alerts
        self.revision = revision
        self.heldAlert = heldAlert
    }
}

/// What a user may change on a monitor from the chat.
public struct MonitorChanges: Sendable, Equatable {
    public var name: String?
    public var target: String?
    public var kind: TargetKind?
    public var enabled: Bool?
    /// The monitor's own options, replaced whole (the chat edits one field of what it read).
    public var options: MonitorOptions?
    /// `.some(nil)` clears the keyword / the monitor's own interval.
    public var keyword: String??
    public var intervalSeconds: Int??

    /// `.some(nil)` removes the dependency.
    public var dependsOn: ObjectId??
    /// The monitor's maintenance windows, replacing the old list.
    public var maintenance: [MaintenanceWindow]?

    public init(
        name: String? = nil, target: String? = nil, kind: TargetKind? = nil, enabled: Bool? = nil,
        options: MonitorOptions? = nil, keyword: String?? = nil, intervalSeconds: Int?? = nil,
        dependsOn: ObjectId?? = nil, maintenance: [MaintenanceWindow]? = nil
    ) {
        self.name = name
        self.target = target
        self.kind = kind
        self.enabled = enabled
        self.options = options
        self.keyword = keyword
        self.intervalSeconds = intervalSeconds
        self.dependsOn = dependsOn
        self.maintenance = maintenance
    }

    /// A new target or kind, a pause or a resume: results checked before it must not be written.
    /// A rename does not: a down alert computed in the same second must still go out.
    public var bumpsRevision: Bool { target != nil || kind != nil || enabled != nil }
}
