import Foundation

/// Where the time of day comes from (results' timestamps, mutes); injectable so a test can step it.
public protocol WallClock: Sendable {
    func now() -> Date
}

/// The system's time of day.
public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// The scheduler's timeline: the wall time at start plus the monotonic time elapsed since
/// (ContinuousClock), so a step of the wall clock (VM resume, NTP) neither stops checks for as
/// long as the step nor bunches them. Timestamps that are stored or shown use `wallNow()`.
struct SchedulingClock: Sendable {
    let wall: any WallClock
    private let startWall: Date
    private let startInstant: ContinuousClock.Instant

    init(wall: any WallClock) {
        self.wall = wall
        startWall = wall.now()
        startInstant = .now
    }

    /// Now on the scheduling timeline (monotonic).
    func now() -> Date { startWall.addingTimeInterval((ContinuousClock.now - startInstant).timeInterval) }

    /// Now on the wall, in the middle of a whole millisecond: BSON keeps dates in milliseconds
    /// (rounding down), so the stored time and the one in an alert name the same millisecond.
    func wallNow() -> Date {
        Date(timeIntervalSince1970: ((wall.now().timeIntervalSince1970 * 1000).rounded(.down) + 0.5) / 1000)
    }
}
