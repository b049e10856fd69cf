import BSON
import Foundation
import Storage

/// In a cluster, chat edits arrive on the instance holding the poller lease, while the monitor may
/// be checked by another: each instance looks every `every` for monitors whose `updated_at` moved
/// and applies them as the in-process feed would (an edit of a monitor it does not check changes
/// nothing). A delete is applied at the next reload; until then the deleted monitor's writes match
/// no document, so it alerts nobody.
enum RemoteEdits {
    static func watch(
        _ repository: any MonitorRepository, every interval: Duration, apply: (ObjectId) async -> Void
    ) async {
        var since = Date()
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            guard let (ids, latest) = try? await repository.editedSince(since, limit: 1000) else { continue }
            for id in ids { await apply(id) }
            if let latest { since = max(since, latest) }
        }
    }
}
