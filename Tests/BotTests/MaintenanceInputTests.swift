import Foundation
import Storage
import Testing

@testable import Bot

/// Windows typed in the chat, read on the user's clock.
struct MaintenanceInputTests {
    let moscow = TimeZone(identifier: "Europe/Moscow") ?? .gmt

    @Test func weeklyWindowsAreReadInRussianAndEnglishAcrossMidnightToo() throws {
        let ru = try MaintenanceInput.weekly("вс 02:00–04:00", zone: "Europe/Moscow").get()
        #expect(ru.day == 7 && ru.startMinute == 120 && ru.endMinute == 240 && ru.zone == "Europe/Moscow")
        let en = try MaintenanceInput.weekly("Sat 23:00-01:00", zone: "UTC").get()
        #expect(en.day == 6 && en.startMinute == 1380 && en.endMinute == 60)
        #expect(MaintenanceInput.weekly("Sun 02:00-02:00", zone: "UTC") == .failure(.zeroLength))
        #expect(MaintenanceInput.weekly("someday 02:00-03:00", zone: "UTC") == .failure(.unreadable))
        #expect(MaintenanceInput.weekly("Sun 24:00-03:00", zone: "UTC") == .failure(.unreadable))
    }

    @Test func untilATimeIsItsNextOccurrenceAndNeverLongerThanAWeekOrInThePast() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15 08:00 UTC, 11:00 MSK
        let later = try MaintenanceInput.until("12:30", now: now, zone: moscow).get()
        #expect(later.from == now && later.until == now.addingTimeInterval(90 * 60))
        let tomorrow = try MaintenanceInput.until("10:00", now: now, zone: moscow).get()
        #expect(tomorrow.until == now.addingTimeInterval(23 * 3600))
        #expect(MaintenanceInput.until("2027-01-30 10:00", now: now, zone: moscow) == .failure(.longerThanAWeek))
        #expect(MaintenanceInput.until("2027-01-14 10:00", now: now, zone: moscow) == .failure(.inThePast))
        #expect(MaintenanceInput.until("2027-01-15 11:00", now: now, zone: moscow) == .failure(.zeroLength))
        #expect(MaintenanceInput.until("soon", now: now, zone: moscow) == .failure(.unreadable))
    }
}
