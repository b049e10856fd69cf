import Foundation

/// Planned maintenance: no alerts while it lasts. Either once (`from` ..< `until`) or every week
/// (`day` `start`–`end` on the owner's clock in `zone`; an end at or before the start is the next
/// day, so "Sun 23:00–01:00" crosses midnight). Kept on a monitor (`maintenance` in `monitors`) or,
/// for all of an owner's monitors, in the owner's settings (`settings.maintenance` in `users`).
public struct MaintenanceWindow: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case once, weekly }

    public var kind: Kind
    public var from: Date?
    public var until: Date?
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var day: Int?
    /// Minutes after local midnight.
    public var startMinute: Int?
    public var endMinute: Int?
    /// IANA zone the weekly times are read in.
    public var zone: String?

    /// The longest window once (a week); weekly ones are shorter than a day by their form.
    public static let longest: TimeInterval = 7 * 86_400

    public static func once(from: Date, until: Date) -> MaintenanceWindow {
        MaintenanceWindow(kind: .once, from: from, until: until)
    }

    public static func weekly(day: Int, startMinute: Int, endMinute: Int, zone: String) -> MaintenanceWindow {
        MaintenanceWindow(kind: .weekly, day: day, startMinute: startMinute, endMinute: endMinute, zone: zone)
    }

    init(
        kind: Kind, from: Date? = nil, until: Date? = nil, day: Int? = nil, startMinute: Int? = nil,
        endMinute: Int? = nil, zone: String? = nil
    ) {
        self.kind = kind
        self.from = from
        self.until = until
        self.day = day
        self.startMinute = startMinute
        self.endMinute = endMinute
        self.zone = zone
    }

    /// Whether the window is usable: once with 0 < length ≤ a week; weekly with a day, a zone that
    /// exists and a start differing from its end. Stored windows that are not are ignored.
    public var isValid: Bool {
        switch kind {
        case .once:
            guard let from, let until else { return false }
            let length = until.timeIntervalSince(from)
            return length > 0 && length <= Self.longest
        case .weekly:
            guard let day, (1...7).contains(day), let start = startMinute, let end = endMinute,
                (0..<1440).contains(start), (0..<1440).contains(end), start != end, let zone,
                TimeZone(identifier: zone) != nil
            else { return false }
            return true
        }
    }

    /// The occurrence that `date` falls in (start ..< end), if any.
    public func occurrence(containing date: Date) -> (start: Date, end: Date)? {
        guard isValid else { return nil }
        switch kind {
        case .once:
            guard let from, let until, from <= date, date < until else { return nil }
            return (from, until)
        case .weekly:
            // The occurrence starting on the day of `date` or the day before (one crossing midnight).
            guard let zone, let timeZone = TimeZone(identifier: zone) else { return nil }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            for back in 0...1 {
                guard let day = calendar.date(byAdding: .day, value: -back, to: date),
                    let occurrence = weeklyOccurrence(startingOnLocalDayOf: day, calendar: calendar),
                    occurrence.start <= date, date < occurrence.end
                else { continue }
                return occurrence
            }
            return nil
        }
    }

    public func contains(_ date: Date) -> Bool { occurrence(containing: date) != nil }

    /// Whether nothing of it is left after `date` (a once-window that ended): dropped when windows are edited.
    public func isOver(at date: Date) -> Bool {
        kind == .once && (until.map { $0 <= date } ?? true)
    }

    /// The weekly occurrence that starts on the local day `date` falls in, if that day is `day`.
    /// Local times are read on the zone's clock, so a window on a DST night is as long as the clock says.
    private func weeklyOccurrence(startingOnLocalDayOf date: Date, calendar: Calendar) -> (start: Date, end: Date)? {
        guard let day, let start = startMinute, let end = endMinute else { return nil }
        let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
        // Calendar's weekday: 1 = Sunday … 7 = Saturday.
        guard let weekday = parts.weekday, (weekday + 5) % 7 + 1 == day else { return nil }
        func local(_ minute: Int, nextDay: Bool) -> Date? {
            var components = DateComponents(year: parts.year, month: parts.month, day: parts.day)
            components.hour = minute / 60
            components.minute = minute % 60
            guard let base = calendar.date(from: components) else { return nil }
            return nextDay ? calendar.date(byAdding: .day, value: 1, to: base) : base
        }
        guard let startDate = local(start, nextDay: false), let endDate = local(end, nextDay: end <= start),
            endDate > startDate
        else { return nil }
        return (startDate, endDate)
    }

    enum CodingKeys: String, CodingKey {
        case kind, from, until, day
        case startMinute = "start_minute"
        case endMinute = "end_minute"
        case zone
    }

    /// Windows read back from MongoDB: one that cannot be read (edited by hand) is left out, not fatal.
    public static func decodeList<K: CodingKey>(_ container: KeyedDecodingContainer<K>, key: K) -> [MaintenanceWindow] {
        ((try? container.decodeIfPresent([Lossy].self, forKey: key)) ?? nil)?.compactMap(\.window) ?? []
    }

    /// Decodes whatever it is given: a window, or nil for anything else (never throws, so a list goes on).
    private struct Lossy: Decodable {
        let window: MaintenanceWindow?
        init(from decoder: any Decoder) throws { window = try? MaintenanceWindow(from: decoder) }
    }
}

extension [MaintenanceWindow] {
    /// The window `date` falls in that ends last (a monitor's own and the owner's together).
    public func occurrence(containing date: Date) -> (start: Date, end: Date)? {
        compactMap { $0.occurrence(containing: date) }.max { $0.end < $1.end }
    }
}
