import Foundation
import Storage

/// Maintenance windows typed in the chat, read on the user's clock: "18:30" or "2026-12-03 18:30"
/// (from now until then), "Sun 02:00-04:00" / "вс 02:00–04:00" (every week).
enum MaintenanceInput {
    enum Refusal: Error, Equatable {
        case unreadable
        case zeroLength
        case longerThanAWeek
        case inThePast
    }

    /// From now until the time typed: "HH:MM" is its next occurrence, a full date is that moment.
    static func until(_ text: String, now: Date, zone: TimeZone) -> Result<MaintenanceWindow, Refusal> {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = text.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == " " || $0 == "T" })
        let end: Date
        if parts.count == 1, let (hour, minute) = clock(parts[0]) {
            var components = calendar.dateComponents([.year, .month, .day], from: now)
            components.hour = hour
            components.minute = minute
            guard let today = calendar.date(from: components) else { return .failure(.unreadable) }
            end = today > now ? today : calendar.date(byAdding: .day, value: 1, to: today) ?? today
        } else if parts.count == 2, let (hour, minute) = clock(parts[1]) {
            let day = parts[0].split(separator: "-").compactMap { Int($0) }
            guard day.count == 3,
                let date = calendar.date(
                    from: DateComponents(year: day[0], month: day[1], day: day[2], hour: hour, minute: minute))
            else { return .failure(.unreadable) }
            end = date
        } else {
            return .failure(.unreadable)
        }
        return window(from: now, until: end)
    }

    /// From `from` for `minutes` (the 1 h / 4 h buttons).
    static func window(from: Date, until: Date) -> Result<MaintenanceWindow, Refusal> {
        let length = until.timeIntervalSince(from)
        if abs(length) < 60 { return .failure(.zeroLength) }
        if length < 0 { return .failure(.inThePast) }
        if length > MaintenanceWindow.longest { return .failure(.longerThanAWeek) }
        return .success(.once(from: from, until: until))
    }

    /// "Sun 02:00-04:00", "вс 23:00–01:00" (crosses midnight), in `zone`.
    static func weekly(_ text: String, zone: String) -> Result<MaintenanceWindow, Refusal> {
        let normalized = text.lowercased().replacingOccurrences(of: "–", with: "-")
            .replacingOccurrences(of: "—", with: "-")
        let words = normalized.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "," }).map(String.init)
        guard words.count == 3, let day = weekday(words[0]), let (h1, m1) = clock(Substring(words[1])),
            let (h2, m2) = clock(Substring(words[2]))
        else { return .failure(.unreadable) }
        let start = h1 * 60 + m1
        let end = h2 * 60 + m2
        if start == end { return .failure(.zeroLength) }
        let window = MaintenanceWindow.weekly(day: day, startMinute: start, endMinute: end, zone: zone)
        return window.isValid ? .success(window) : .failure(.unreadable)
    }

    /// "02:00" → (2, 0); "24:00" is not a time.
    private static func clock(_ text: Substring) -> (Int, Int)? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        return (hour, minute)
    }

    /// ISO weekday (1 = Monday) of a Russian or English day name or its short form.
    static func weekday(_ word: String) -> Int? {
        let names: [[String]] = [
            ["mon", "monday", "пн", "пон", "понедельник"], ["tue", "tuesday", "вт", "вто", "вторник"],
            ["wed", "wednesday", "ср", "сре", "среда"], ["thu", "thursday", "чт", "чет", "четверг"],
            ["fri", "friday", "пт", "пят", "пятница"], ["sat", "saturday", "сб", "суб", "суббота"],
            ["sun", "sunday", "вс", "вос", "воскресенье"],
        ]
        let word = word.trimmingCharacters(in: .punctuationCharacters)
        return names.firstIndex { $0.contains(word) }.map { $0 + 1 }
    }
}
