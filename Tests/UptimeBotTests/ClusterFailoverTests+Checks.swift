import BSON
import FakeTelegramAPI
import Foundation
import Mongo
import Storage
import TestSupport
import Testing

extension ClusterFailoverTests {
    /// 50 owners with 3 devices (127.0.<owner>.<n>) and 3 sites each; 10 users who only chat.
    static func seed(_ database: MongoDatabase, origin: SwitchableOrigin) async throws -> [MonitorRecord] {
        try await SchemaMigrator.standard(database: database, logger: TestMongo.logger).migrate()
        let users = MongoUserRepository(database: database, logger: TestMongo.logger)
        for (index, user) in (owners + chatters).enumerated() {
            try await users.upsert(
                UserRecord(id: user.id, phone: "+7999000\(1000 + index)", firstName: user.firstName, language: "en"))
        }
        let repository = MongoMonitorRepository(database: database, logger: TestMongo.logger)
        var sites: [MonitorRecord] = []
        for (index, owner) in owners.enumerated() {
            for n in 0..<3 {
                let tag = String(format: "%02d-%d", index, n)
                try await repository.create(
                    MonitorRecord(
                        ownerID: owner.id, kind: .icmp, target: "127.0.\(index + 1).\(n + 1)", name: "host-\(tag)",
                        intervalSeconds: interval))
                let site = MonitorRecord(
                    ownerID: owner.id, kind: .http, target: origin.url("/site/\(tag)"), name: "site-\(tag)",
                    intervalSeconds: interval)
                try await repository.create(site)
                sites.append(site)
            }
        }
        return sites
    }

    /// Each site is named once in a "down" line and once in a "back up" line of its owner's chat.
    static func expectEachTransitionOnce(_ sites: [MonitorRecord], fake: FakeBotAPIServer) {
        for site in sites {
            let lines = fake.messages(in: site.ownerID).flatMap { $0.text.split(separator: "\n") }
                .filter { $0.contains(site.name) }
            let down = lines.filter { $0.contains("🔴") }.count
            let up = lines.filter { $0.contains("🟢") }.count
            #expect(down == 1 && up == 1, "\(site.name): \(lines)")
        }
    }

    /// Where each site's `transition` ("down", "up") alert is when they were not all sent: the
    /// site's state, its outbox entries of that transition, all its alerts and its first checks
    /// (printed, for the failure's record).
    static func describeAlerts(_ database: MongoDatabase, sites: [MonitorRecord], transition: String) async {
        func text(_ value: BSONValue?) -> String { value.map { "\($0)" } ?? "-" }
        let outbox = database.collection("outbox")
        let fields = ["dedupe_key", "state", "claim_holder", "claim_epoch", "attempts", "last_error", "held_reason"]
        for site in sites {
            let all = (try? await outbox.find(["dedupe_key": ["$regex": .string(site.id.hex)]])) ?? []
            let entries = all.filter { $0["dedupe_key"]?.stringValue?.contains(":\(transition):") == true }
            guard entries.count != 1 || entries.first?["state"]?.stringValue != "sent" else { continue }
            let monitor = try? await database.collection("monitors").findOne(["_id": .objectId(site.id)])
            let described = entries.map { entry in fields.map { "\($0)=\(text(entry[$0]))" }.joined(separator: " ") }
            let alerts = all.map { "\(text($0["dedupe_key"]))@\(text($0["created_at"]))" }
            let checks =
                (try? await database.collection("checks").find(
                    ["monitor_id": .objectId(site.id)], options: FindOptions(sort: ["at": 1], limit: 16))) ?? []
            let history = checks.map { "\(text($0["at"])) ok=\(text($0["ok"])) \(text($0["error"]))" }
            print(
                "cluster: \(site.name) status=\(text(monitor?["status"])) transitions=\(text(monitor?["transitions"])) "
                    + "held=\(text(monitor?["held_alert"])) pending=\(text(monitor?["pending_alerts"])) "
                    + "outbox=\(described) all alerts=\(alerts) checks=\(history)")
        }
    }

    /// The longest time between two consecutive checks of one monitor in `checks` since `since`.
    static func longestGap(_ database: MongoDatabase, since: Date) async throws -> (
        seconds: TimeInterval, from: Date, monitor: ObjectId?
    ) {
        let documents = try await database.collection("checks").find(
            ["at": ["$gte": .datetime(since)]], options: FindOptions(projection: ["monitor_id": 1, "at": 1]))
        var times: [ObjectId: [Date]] = [:]
        for document in documents {
            guard let id = document["monitor_id"]?.objectIdValue, let at = document["at"]?.dateValue else { continue }
            times[id, default: []].append(at)
        }
        var longest: (seconds: TimeInterval, from: Date, monitor: ObjectId?) = (0, since, nil)
        for (id, dates) in times {
            let sorted = dates.sorted()
            for (a, b) in zip(sorted, sorted.dropFirst()) where b.timeIntervalSince(a) > longest.seconds {
                longest = (b.timeIntervalSince(a), a, id)
            }
        }
        return longest
    }
}
