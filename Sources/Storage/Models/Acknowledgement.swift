import Foundation

/// Someone took an outage (`ack` in `monitors`): no reminders for it, and its recovery names them.
/// It belongs to the outage whose down transition has `counter` (the monitor's `transitions` then);
/// a later outage has another counter, so an old acknowledgement never covers it.
public struct Acknowledgement: Codable, Sendable, Equatable {
    public var counter: Int
    /// The Telegram user who pressed ✋.
    public var by: Int64
    /// Their name as Telegram gave it then (shown in the recovery).
    public var byName: String
    public var at: Date

    public init(counter: Int, by: Int64, byName: String, at: Date) {
        self.counter = counter
        self.by = by
        self.byName = byName
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case counter, by
        case byName = "by_name"
        case at
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        counter = StoredNumbers.count((try? c.decodeIfPresent(Int.self, forKey: .counter)) ?? nil)
        by = (try? c.decodeIfPresent(Int64.self, forKey: .by)) ?? 0
        byName = (try? c.decodeIfPresent(String.self, forKey: .byName)) ?? ""
        at = try c.decode(Date.self, forKey: .at)
    }
}

/// Why acknowledging did not take.
public enum AcknowledgeOutcome: Sendable, Equatable {
    case acknowledged(MonitorRecord)
    /// The outage is over (recovered, or another outage began): nothing to take.
    case over
    /// No such monitor of this owner.
    case notFound
}

/// An alert the monitor did not send when its transition happened (`held_alert` in `monitors`):
/// the monitor was in maintenance, or its parent was down. It goes out, once, under its original key,
/// when the reason is gone and the news still holds; a transition back cancels it.
public struct HeldAlert: Codable, Sendable, Equatable {
    public enum Reason: String, Codable, Sendable { case maintenance, parent }
    public enum Transition: String, Codable, Sendable { case down, up }

    public var reason: Reason
    public var transition: Transition
    /// The transition counter the alert's key carries.
    public var counter: Int
    /// When the monitor went down (for an "up": when the outage began).
    public var since: Date
    /// For an "up": when it came back.
    public var at: Date?

    public init(reason: Reason, transition: Transition, counter: Int, since: Date, at: Date? = nil) {
        self.reason = reason
        self.transition = transition
        self.counter = counter
        self.since = since
        self.at = at
    }
}
