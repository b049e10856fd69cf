import BSON
import Foundation
import Storage

/// When a monitor is checked: every `interval` seconds, at a phase taken from a hash of its id.
/// Monitors with the same interval are spread evenly across it instead of all firing at the same
/// second, and the phase is the same after a restart, so a restart causes no burst either.
enum CheckSlots {
    /// Milliseconds into each interval at which this monitor's checks fall.
    static func phase(of id: ObjectId, interval: Int) -> Int64 {
        // FNV-1a: stable across processes (Swift's Hasher is seeded per process).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Int64(hash % UInt64(period(interval)))
    }

    /// An interval in milliseconds, within 1 s...StoredNumbers.maxIntervalSeconds (no overflow).
    private static func period(_ interval: Int) -> Int64 {
        Int64(min(max(1, interval), StoredNumbers.maxIntervalSeconds)) * 1000
    }

    /// The first slot strictly after `date`.
    static func next(after date: Date, interval: Int, phase: Int64) -> Date {
        let period = period(interval)
        let now = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let elapsed = now - phase
        // Floor division, also for dates before the phase.
        let completed = elapsed >= 0 ? elapsed / period : -((-elapsed + period - 1) / period)
        let slot = (completed + 1) * period + phase
        return Date(timeIntervalSince1970: Double(slot) / 1000)
    }
}
