import BSON
import Foundation

/// Status changes of owners who muted alerts, kept until they unmute and then told in one summary.
/// In memory only: a restart during a mute loses the summary (never an alert: muted owners get none).
struct MuteDigest {
    struct Change: Sendable {
        var monitorID: ObjectId
        var name: String
        var transition: AlertTransition
        var at: Date
    }

    /// Changes kept per owner; beyond it the summary says how many more there were.
    let maxChangesPerOwner: Int
    private(set) var changes: [Int64: [Change]] = [:]
    private(set) var omitted: [Int64: Int] = [:]

    init(maxChangesPerOwner: Int = 30) { self.maxChangesPerOwner = maxChangesPerOwner }

    mutating func add(_ change: Change, owner: Int64) {
        if changes[owner, default: []].count < maxChangesPerOwner {
            changes[owner, default: []].append(change)
        } else {
            omitted[owner, default: 0] += 1
        }
    }

    var owners: [Int64] { Array(changes.keys) }

    /// Takes an owner's changes out for their summary.
    mutating func take(owner: Int64) -> (changes: [Change], omitted: Int)? {
        guard let list = changes.removeValue(forKey: owner) else { return nil }
        return (list, omitted.removeValue(forKey: owner) ?? 0)
    }
}
