import BSON
import Foundation
import Storage
import Testing

/// Maintenance windows as the owner reads them: on their clock, across midnight and DST changes.
struct MaintenanceWindowTests {
    /// A moment given on a zone's wall clock.
    func local(_ zone: String, _ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int) throws -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: zone))
        return try #require(calendar.date(from: DateComponents(year: y, month: mo, day: d, hour: h, minute: mi)))
    }

    @Test func aWeeklyWindowAcrossMidnightCoversTheLateEveningAndTheEarlyMorningAfter() throws {
        // Saturday 23:00 – Sunday 01:00, Moscow time (2026-12-05 is a Saturday).
        let window = MaintenanceWindow.weekly(day: 6, startMinute: 23 * 60, endMinute: 60, zone: "Europe/Moscow")
        #expect(window.isValid)
        #expect(!window.contains(try local("Europe/Moscow", 2026, 12, 5, 22, 59)))
        #expect(window.contains(try local("Europe/Moscow", 2026, 12, 5, 23, 0)))
        #expect(window.contains(try local("Europe/Moscow", 2026, 12, 6, 0, 30)))
        #expect(!window.contains(try local("Europe/Moscow", 2026, 12, 6, 1, 0)))
        // The Sunday after the window's Sunday morning is not in it; the next Saturday night is.
        #expect(!window.contains(try local("Europe/Moscow", 2026, 12, 6, 23, 30)))
        #expect(window.contains(try local("Europe/Moscow", 2026, 12, 12, 23, 30)))
        let occurrence = try #require(window.occurrence(containing: try local("Europe/Moscow", 2026, 12, 6, 0, 30)))
        #expect(occurrence.end.timeIntervalSince(occurrence.start) == 2 * 3600)
    }

    @Test func aWeeklyWindowOnTheNightOfADSTChangeLastsAsLongAsTheClockSays() throws {
        // Berlin leaves summer time on Sunday 2026-10-25 at 03:00 → 02:00: "Sun 01:00–04:00" lasts 4 hours.
        let autumn = MaintenanceWindow.weekly(day: 7, startMinute: 60, endMinute: 240, zone: "Europe/Berlin")
        let start = try local("Europe/Berlin", 2026, 10, 25, 1, 0)
        let occurrence = try #require(autumn.occurrence(containing: start.addingTimeInterval(60)))
        #expect(occurrence.end.timeIntervalSince(occurrence.start) == 4 * 3600)
        #expect(autumn.contains(start.addingTimeInterval(3.5 * 3600)))
        #expect(!autumn.contains(start.addingTimeInterval(4 * 3600)))
        // New York springs forward on Sunday 2026-03-08 at 02:00 → 03:00: "Sun 01:00–04:00" lasts 2 hours.
        let spring = MaintenanceWindow.weekly(day: 7, startMinute: 60, endMinute: 240, zone: "America/New_York")
        let springStart = try local("America/New_York", 2026, 3, 8, 1, 0)
        let springOccurrence = try #require(spring.occurrence(containing: springStart.addingTimeInterval(60)))
        #expect(springOccurrence.end.timeIntervalSince(springOccurrence.start) == 2 * 3600)
        // And a window across midnight on a DST night still ends at the clock's time.
        let overnight = MaintenanceWindow.weekly(day: 6, startMinute: 23 * 60, endMinute: 3 * 60, zone: "Europe/Berlin")
        let night = try #require(overnight.occurrence(containing: try local("Europe/Berlin", 2026, 10, 25, 2, 30)))
        #expect(night.end == (try local("Europe/Berlin", 2026, 10, 25, 3, 0)))
        #expect(night.end.timeIntervalSince(night.start) == 5 * 3600)
    }

    @Test func windowsOfZeroLengthLongerThanAWeekOrInAZoneThatDoesNotExistAreNotValid() {
        let now = Date()
        #expect(!MaintenanceWindow.once(from: now, until: now).isValid)
        #expect(!MaintenanceWindow.once(from: now, until: now.addingTimeInterval(-60)).isValid)
        #expect(!MaintenanceWindow.once(from: now, until: now.addingTimeInterval(8 * 86_400)).isValid)
        #expect(MaintenanceWindow.once(from: now, until: now.addingTimeInterval(7 * 86_400)).isValid)
        #expect(!MaintenanceWindow.weekly(day: 7, startMinute: 120, endMinute: 120, zone: "UTC").isValid)
        #expect(!MaintenanceWindow.weekly(day: 8, startMinute: 120, endMinute: 240, zone: "UTC").isValid)
        #expect(!MaintenanceWindow.weekly(day: 7, startMinute: 120, endMinute: 240, zone: "Mars/Olympus").isValid)
        // An invalid window is never "in".
        #expect(!MaintenanceWindow.once(from: now, until: now.addingTimeInterval(8 * 86_400)).contains(now))
    }

    @Test func aHandEditedWindowThatCannotBeReadIsLeftOutAndTheMonitorStillLoads() throws {
        let good = try BSONEncoder().encodeValue(
            MaintenanceWindow.weekly(day: 7, startMinute: 120, endMinute: 240, zone: "UTC"))
        let document: BSONDocument = [
            "_id": .objectId(ObjectId()), "owner_id": 1, "kind": "icmp", "target": "10.0.0.1",
            "maintenance": [good, "sunday night", ["kind": "fortnightly"]],
            "ack": ["counter": "three"], "depends_on": "not an id",
        ]
        let monitor = try BSONDecoder().decode(MonitorRecord.self, from: document)
        #expect(monitor.maintenance.count == 1)
        #expect(monitor.ack == nil && monitor.dependsOn == nil)
    }
}
