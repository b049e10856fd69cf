import Foundation
import Synchronization

/// MAX_ADDS_PER_MINUTE: how many monitors one user may add in any 60 seconds. Kept in memory (a
/// restart forgets it, which costs at most one extra minute's worth of adds); idle users are dropped.
public final class AddRateLimit: Sendable {
    public let perMinute: Int
    private let window: Duration = .seconds(60)
    private let recent = Mutex<[Int64: [ContinuousClock.Instant]]>([:])

    public init(perMinute: Int) { self.perMinute = perMinute }

    /// Whether `ownerID` may add one more now.
    public func allows(_ ownerID: Int64, now: ContinuousClock.Instant = .now) -> Bool {
        recent.withLock { recent in
            let kept = (recent[ownerID] ?? []).filter { $0.duration(to: now) < window }
            recent[ownerID] = kept.isEmpty ? nil : kept
            return kept.count < perMinute
        }
    }

    /// Counts one add by `ownerID`.
    public func record(_ ownerID: Int64, now: ContinuousClock.Instant = .now) {
        recent.withLock { recent in
            if recent.count > 10_000 {
                // Many users: forget everyone whose adds are all older than the window.
                recent = recent.filter { $0.value.contains { $0.duration(to: now) < window } }
            }
            recent[ownerID, default: []].append(now)
        }
    }
}
