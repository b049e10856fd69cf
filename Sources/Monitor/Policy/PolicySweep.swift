import BSON
import Checks
import Foundation
import Logging
import Storage

/// At start, before anything is checked: enabled monitors that the target policy (perhaps changed
/// since they were added) now refuses are paused, and each owner gets one message listing theirs.
/// The message is queued before the monitors are paused, under a key made of their ids, so a
/// crash in between neither loses it nor sends it twice.
struct PolicySweep: Sendable {
    /// Monitors listed in one message; the rest are counted. With the lengths below the message stays
    /// under the outbox's 3800 characters (Telegram allows 4096).
    static let listedPerMessage = 6
    /// Characters shown of a name, a target and a reason (a name defaults to the target, 2000 long).
    static let shownLength = 120
    /// Monitors read per query, as the scheduler reads them.
    static let pageSize = 1000

    let vetter: TargetVetter
    let admins: Set<Int64>
    let repositories: Repositories
    let logger: Logger

    /// The number of monitors paused; a storage failure is logged and the sweep is retried at the next start.
    @discardableResult
    func run() async -> Int {
        var denied: [Int64: [(MonitorRecord, TargetRefusal)]] = [:]
        var after: ObjectId?
        do {
            // In pages, as the scheduler reads them; each page's names are resolved concurrently.
            while true {
                let page = try await repositories.monitors.listEnabled(after: after, limit: Self.pageSize)
                guard let last = page.last else { break }
                for (monitor, refusal) in await judge(page) {
                    denied[monitor.ownerID, default: []].append((monitor, refusal))
                }
                after = last.id
            }
        } catch {
            logger.error("target policy: cannot list monitors to re-check them", metadata: ["error": "\(error)"])
            return 0
        }
        var paused = 0
        for (owner, items) in denied.sorted(by: { $0.key < $1.key }) {
            paused += await pause(items, of: owner)
        }
        if paused > 0 {
            logger.notice("target policy: monitors it now denies were paused", metadata: ["paused": "\(paused)"])
        }
        return paused
    }

    /// The refused monitors of one page.
    private func judge(_ page: [MonitorRecord]) async -> [(MonitorRecord, TargetRefusal)] {
        let (vetter, admins) = (self.vetter, self.admins)
        return await withTaskGroup(of: (MonitorRecord, TargetRefusal)?.self) { group in
            for monitor in page {
                group.addTask {
                    let target = CheckTarget(
                        kind: monitor.kind == .icmp ? .icmp : .http, target: monitor.target,
                        ownerIsAdmin: admins.contains(monitor.ownerID))
                    return await vetter.refusal(for: target).map { (monitor, $0) }
                }
            }
            return await group.reduce(into: []) { found, item in if let item { found.append(item) } }
        }
    }

    private func pause(_ items: [(MonitorRecord, TargetRefusal)], of owner: Int64) async -> Int {
        let language = (try? await repositories.users.get(owner))?.language
        let texts = NotificationTexts(language: .init(code: language))
        let listed = items.prefix(Self.listedPerMessage).map { monitor, refusal in
            (
                name: String(monitor.name.prefix(Self.shownLength)),
                target: String(monitor.target.prefix(Self.shownLength)),
                reason: String(refusal.description(in: texts.language).prefix(Self.shownLength))
            )
        }
        let text = texts.pausedByPolicy(listed, omitted: items.count - listed.count)
        let key = "policy-pause:\(owner):" + items.map(\.0.id.hex).sorted().joined(separator: ",")
        do {
            _ = try await repositories.outbox.enqueue(OutboxMessage(chatID: owner, text: text, dedupeKey: key))
            for (monitor, refusal) in items {
                _ = try await repositories.monitors.update(monitor.id, ownerID: owner, MonitorChanges(enabled: false))
                logger.notice(
                    "target policy: monitor paused",
                    metadata: ["monitor": "\(monitor.id)", "owner": "\(owner)", "rule": "\(refusal.description)"])
            }
        } catch {
            logger.error(
                "target policy: cannot pause an owner's denied monitors; they stay refused at every check",
                metadata: ["owner": "\(owner)", "error": "\(error)"])
            return 0
        }
        return items.count
    }
}
