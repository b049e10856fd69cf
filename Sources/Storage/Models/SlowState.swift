import Foundation

/// The monitor's "slow" (🟡) state beside its up/down status (`slow` in `monitors`): responses
/// above the slow threshold, or ICMP packet loss at or above the monitor's percentage, for K
/// checks in a row; cleared after M checks in a row clearly under it. Absent = not slow.
public struct SlowState: Codable, Sendable, Equatable {
    public var active: Bool
    /// When the current slow spell began (while active).
    public var since: Date?
    /// Slow checks in a row (while not active) or clearly fast checks in a row (while active).
    public var streak: Int

    public init(active: Bool = false, since: Date? = nil, streak: Int = 0) {
        self.active = active
        self.since = since
        self.streak = streak
    }

    enum CodingKeys: String, CodingKey { case active, since, streak }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        active = (try? c.decodeIfPresent(Bool.self, forKey: .active)) ?? false
        since = (try? c.decodeIfPresent(Date.self, forKey: .since)) ?? nil
        streak = StoredNumbers.count((try? c.decodeIfPresent(Int.self, forKey: .streak)) ?? nil)
    }
}
