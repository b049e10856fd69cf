/// Numbers read back from MongoDB are input: a hand-edited document (a NumberLong interval, a
/// streak at Int64.max, a NaN response time) is read as the nearest sane value, so later
/// arithmetic (interval × 1000, streak + 1) never traps and the process never crash-loops.
public enum StoredNumbers {
    /// The longest check interval read from storage: a week (in milliseconds far from overflow).
    public static let maxIntervalSeconds = 7 * 86_400
    /// Streaks and counters above this are read as this; no real monitor gets near it.
    public static let maxCount = 1_000_000_000

    /// A stored interval in seconds; nil (the default applies) when zero or negative.
    public static func interval(_ seconds: Int?) -> Int? {
        guard let seconds, seconds > 0 else { return nil }
        return min(seconds, maxIntervalSeconds)
    }

    /// A stored streak or counter, within 0...maxCount.
    public static func count(_ value: Int?) -> Int { min(max(value ?? 0, 0), maxCount) }

    /// A stored duration in milliseconds; nil when not a finite, non-negative number.
    public static func milliseconds(_ value: Double?) -> Double? {
        guard let value, value.isFinite, value >= 0 else { return nil }
        return value
    }
}
