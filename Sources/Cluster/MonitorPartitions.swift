import BSON

/// Monitors are split into a fixed number of partitions by a hash of their id; each partition is
/// checked by the one instance holding its lease.
public enum MonitorPartitions {
    /// Fixed: a monitor's partition, and so the epochs written on it, must never change.
    public static let count = 64

    /// FNV-1a over the id's bytes: the same on every instance and every platform.
    public static func partition(of id: ObjectId) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Int(hash % UInt64(count))
    }

    /// How many partitions `instance` should hold when `alive` (ids) are the live instances: an
    /// equal share, the remainder going one each to the first ids in order, so the shares add up to
    /// `count` and differ by at most one.
    public static func share(of instance: String, alive: [String]) -> Int {
        let sorted = Set(alive + [instance]).sorted()
        guard let index = sorted.firstIndex(of: instance) else { return 0 }
        return count / sorted.count + (index < count % sorted.count ? 1 : 0)
    }

    /// Which partitions to keep and which to try for: the `share` held longest stays (so only the
    /// partitions that must move do), the rest is given up; free ones are tried in an order of the
    /// instance's own, so two instances short of their share rarely race for the same partition.
    public static func plan(holder: String, held: Set<Int>, free: Set<Int>, share: Int) -> (
        keep: Set<Int>, release: Set<Int>, take: [Int]
    ) {
        let kept = Set(held.sorted().prefix(share))
        let missing = max(0, share - kept.count)
        let take = free.subtracting(held).sorted { order(holder, $0) < order(holder, $1) }.prefix(missing)
        return (kept, held.subtracting(kept), Array(take))
    }

    private static func order(_ holder: String, _ partition: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in Array(holder.utf8) + [UInt8(partition & 0xff)] {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
