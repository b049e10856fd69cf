import BSON
import Curl
import Foundation
import Storage
import Testing

@testable import Monitor

/// Scheduling bookkeeping: when each monitor is due and how reloads change the set.
struct MonitorPlanTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000.5)
    let owners: [Int64: OwnerProfile] = [1: OwnerProfile(user: nil, configuration: MonitorConfiguration())]

    func monitor(_ target: String, interval: Int? = nil) -> MonitorRecord {
        MonitorRecord(ownerID: 1, kind: .icmp, target: target, name: target, intervalSeconds: interval)
    }

    @Test func checkProxyIsReadAsEnvironmentNoneOrAURL() {
        #expect(MonitorConfiguration.proxySetting(nil) == .environment)
        #expect(MonitorConfiguration.proxySetting("  ") == .environment)
        #expect(MonitorConfiguration.proxySetting("None") == ProxySetting.none)
        #expect(MonitorConfiguration.proxySetting(" http://squid:3128 ") == .url("http://squid:3128"))
    }

    @Test func checksOfManyMonitorsAreSpreadAcrossTheInterval() {
        let ids = (0..<6000).map { _ in ObjectId() }
        var perSecond = [Int](repeating: 0, count: 60)
        for id in ids { perSecond[Int(CheckSlots.phase(of: id, interval: 60) / 1000)] += 1 }
        // 100 a second on average; no second gets even twice that.
        #expect(perSecond.min() ?? 0 > 50 && perSecond.max() ?? 0 < 200, "\(perSecond)")
    }

    @Test func aMonitorKeepsItsPhaseAcrossRestarts() throws {
        // A fixed id has a fixed phase in every process (FNV-1a of its bytes, computed independently).
        let id = try #require(ObjectId(hex: "65f0a1b2c3d4e5f601020304"))
        let phase = CheckSlots.phase(of: id, interval: 60)
        #expect(phase == 27_527)
        let next = CheckSlots.next(after: now, interval: 60, phase: phase)
        #expect(next > now && next.timeIntervalSince(now) <= 60)
        let milliseconds = Int64((next.timeIntervalSince1970 * 1000).rounded())
        #expect(milliseconds % 60_000 == phase)
    }

    @Test func aMonitorTakenOverOverdueIsCheckedWithinASecondAndARecentOneAtItsSlot() {
        var plan = MonitorPlan()
        var overdue = (0..<200).map { monitor("127.0.1.\($0)", interval: 30) }
        for index in overdue.indices { overdue[index].lastCheck = LastCheck(at: now.addingTimeInterval(-45), ok: true) }
        var recent = monitor("127.0.2.1", interval: 30)
        recent.lastCheck = LastCheck(at: now.addingTimeInterval(-5), ok: true)
        var seen = Set<ObjectId>()
        var summary = MonitorPlan.RefreshSummary()
        plan.merge(
            overdue + [recent], owners: owners, defaultInterval: 60, now: now, overdueAtOnce: true, seen: &seen,
            summary: &summary)
        let due = overdue.compactMap { plan.entries[$0.id]?.nextDue.timeIntervalSince(now) }
        #expect(due.count == 200 && due.allSatisfy { $0 >= 0 && $0 <= MonitorPlan.takeoverSpread })
        // Spread over the second, not all in one instant (their phases differ).
        #expect(Set(due.map { Int($0 * 10) }).count >= 5, "\(due.sorted())")
        let slot = CheckSlots.next(after: now, interval: 30, phase: CheckSlots.phase(of: recent.id, interval: 30))
        #expect(plan.entries[recent.id]?.nextDue == slot)
    }

    @Test func intervalComesFromTheMonitorThenTheOwnerThenTheOperator() {
        var plan = MonitorPlan()
        let own = monitor("127.0.0.1", interval: 5)
        let inherited = monitor("127.0.0.2")
        var settings = UserSettings()
        settings.checkIntervalSeconds = 20
        let owner = OwnerProfile(
            user: UserRecord(id: 1, phone: "1", firstName: "a", settings: settings),
            configuration: MonitorConfiguration())
        _ = plan.refresh(monitors: [own, inherited], owners: [1: owner], defaultInterval: 60, now: now)
        #expect(plan.entries[own.id]?.interval == 5)
        #expect(plan.entries[inherited.id]?.interval == 20)
        _ = plan.refresh(
            monitors: [own, inherited], owners: [1: OwnerProfile(user: nil, configuration: MonitorConfiguration())],
            defaultInterval: 60, now: now)
        #expect(plan.entries[inherited.id]?.interval == 60)
    }

    @Test func noIntervalIsShorterThanMinCheckInterval() {
        var plan = MonitorPlan()
        let own = monitor("127.0.0.1", interval: 5)
        let inherited = monitor("127.0.0.2")
        var settings = UserSettings()
        settings.checkIntervalSeconds = 10
        let configuration = MonitorConfiguration(checkInterval: 60, minCheckInterval: 30)
        let owner = OwnerProfile(
            user: UserRecord(id: 1, phone: "1", firstName: "a", settings: settings), configuration: configuration)
        _ = plan.refresh(
            monitors: [own, inherited], owners: [1: owner], defaultInterval: 60, minimumInterval: 30, now: now)
        #expect(plan.entries[own.id]?.interval == 30)
        #expect(plan.entries[inherited.id]?.interval == 30)
    }

    @Test func reloadAddsNewDropsDeletedAndDisabledAndTakesEdits() {
        var plan = MonitorPlan()
        var a = monitor("127.0.0.1")
        var b = monitor("127.0.0.2")
        var c = monitor("127.0.0.3")
        #expect(plan.refresh(monitors: [a, b, c], owners: owners, defaultInterval: 60, now: now) == .init(added: 3))
        a.name = "renamed"
        c.enabled = false
        let summary = plan.refresh(monitors: [a, c], owners: owners, defaultInterval: 60, now: now)
        #expect(summary == .init(added: 0, removed: 2, changed: 1))
        #expect(plan.entries[a.id]?.record.name == "renamed" && plan.entries[b.id] == nil && plan.entries[c.id] == nil)
        _ = b
    }

    @Test func memoryStateWinsOverStorageUnlessTheTargetChanged() {
        var plan = MonitorPlan()
        var record = monitor("127.0.0.1")
        _ = plan.refresh(monitors: [record], owners: owners, defaultInterval: 60, now: now)
        let down = AlertState(status: .down, statusSince: now, failStreak: 4)
        plan.update(record.id, state: down, lastCheck: LastCheck(at: now, ok: false))
        // Storage lags behind (say it was down): the state in memory is kept.
        _ = plan.refresh(monitors: [record], owners: owners, defaultInterval: 60, now: now)
        #expect(plan.entries[record.id]?.alertState == down)
        // A new target starts over.
        record.target = "127.0.0.9"
        _ = plan.refresh(monitors: [record], owners: owners, defaultInterval: 60, now: now)
        #expect(plan.entries[record.id]?.alertState == AlertState())
        #expect(plan.entries[record.id]?.record.lastCheck == nil)
    }

    @Test func resultOfAnEditedOrDeletedMonitorIsDropped() {
        var plan = MonitorPlan()
        var record = monitor("127.0.0.1", interval: 1)
        _ = plan.refresh(monitors: [record], owners: owners, defaultInterval: 60, now: now)
        let due = plan.takeDue(until: now.addingTimeInterval(2), now: now)
        #expect(due.count == 1)
        record.target = "127.0.0.2"
        _ = plan.refresh(monitors: [record], owners: owners, defaultInterval: 60, now: now)
        #expect(plan.finish(due[0]) == nil)
        _ = plan.refresh(monitors: [], owners: owners, defaultInterval: 60, now: now)
        #expect(plan.finish(DueCheck(id: record.id, generation: 0, target: due[0].target)) == nil)
    }

    @Test func aMonitorStillBeingCheckedSkipsItsSlotInsteadOfPilingUp() throws {
        var plan = MonitorPlan()
        let record = monitor("127.0.0.1", interval: 1)
        _ = plan.refresh(monitors: [record], owners: owners, defaultInterval: 60, now: now)
        let first = plan.takeDue(until: now.addingTimeInterval(1.01), now: now)
        #expect(first.count == 1)
        let later = now.addingTimeInterval(3)
        #expect(plan.takeDue(until: later, now: later).isEmpty)
        #expect(plan.nextDue == nil)
        _ = plan.finish(first[0])
        let next = try #require(plan.nextDue)
        #expect(next > later)
    }

    @Test func icmpMonitorsAreNotHandedOutWithoutAPinger() {
        var plan = MonitorPlan()
        let record = monitor("127.0.0.1", interval: 1)
        _ = plan.refresh(monitors: [record], owners: owners, defaultInterval: 60, now: now)
        #expect(plan.takeDue(until: now.addingTimeInterval(2), now: now, skipping: [.icmp]).isEmpty)
    }
}
