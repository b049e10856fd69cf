import BSON
import Foundation
import Storage

@testable import Monitor

extension MonitorPlan {
    /// A whole refresh in one page, as the scheduler does it page by page (`merge`, then `finishRefresh`).
    mutating func refresh(
        monitors: [MonitorRecord], owners: [Int64: OwnerProfile], defaultInterval: Int, minimumInterval: Int = 1,
        now: Date
    ) -> RefreshSummary {
        var summary = RefreshSummary()
        var seen = Set<ObjectId>()
        merge(
            monitors, owners: owners, defaultInterval: defaultInterval, minimumInterval: minimumInterval, now: now,
            seen: &seen, summary: &summary)
        finishRefresh(seen: seen, owners: owners, summary: &summary)
        return summary
    }
}
