import Foundation

/// How the chat writes lengths of time, moments and numbers, for the bot's screens and the
/// monitor's alerts alike.
public enum HumanFormat {
    /// A compact length of time: "45 с", "12 мин", "3 ч 5 мин", "2 д 4 ч".
    public static func duration(_ interval: TimeInterval, _ language: Language) -> String {
        let seconds = max(0, Int(interval.rounded()))
        let (d, h, m) = (seconds / 86_400, seconds % 86_400 / 3600, seconds % 3600 / 60)
        let (ds, hs, ms, ss) = language == .ru ? ("д", "ч", "мин", "с") : ("d", "h", "min", "s")
        if d > 0 { return h > 0 ? "\(d) \(ds) \(h) \(hs)" : "\(d) \(ds)" }
        if h > 0 { return m > 0 ? "\(h) \(hs) \(m) \(ms)" : "\(h) \(hs)" }
        if m > 0 { return "\(m) \(ms)" }
        return "\(seconds) \(ss)"
    }

    /// "2026-11-20 23:40:12 MSK": the time in the reader's zone, with the zone's name.
    public static func timestamp(_ date: Date, in zone: ChatTimeZone = .utc) -> String {
        let t = local(date, zone)
        return
            "\(day(date, in: zone)) \(two(t.tm_hour)):\(two(t.tm_min)):\(two(t.tm_sec)) \(zone.abbreviation(at: date))"
    }

    /// "2026-11-20 23:40 MSK": a moment to the minute (windows, "until" times).
    public static func minute(_ date: Date, in zone: ChatTimeZone = .utc) -> String {
        let t = local(date, zone)
        return "\(day(date, in: zone)) \(two(t.tm_hour)):\(two(t.tm_min)) \(zone.abbreviation(at: date))"
    }

    /// "2026-11-20" in the reader's zone.
    public static func day(_ date: Date, in zone: ChatTimeZone = .utc) -> String {
        let t = local(date, zone)
        return "\(t.tm_year + 1900)-\(two(t.tm_mon + 1))-\(two(t.tm_mday))"
    }

    /// Milliseconds with one decimal under 10 ("3.4"), whole above ("120").
    public static func milliseconds(_ value: Double) -> String {
        value < 10 ? String(format: "%.1f", value) : String(Int(value.rounded()))
    }

    /// A round trip with its unit: "3.4 мс", "120 ms", and under a millisecond "450 мкс" / "450 µs"
    /// (not "0.0 мс").
    public static func roundTrip(milliseconds value: Double, _ language: Language) -> String {
        guard value.isFinite, value >= 0 else { return "—" }
        if value < 1 {
            let micros = max(1, Int((value * 1000).rounded()))
            return "\(micros) \(language == .ru ? "мкс" : "µs")"
        }
        return "\(milliseconds(value)) \(language == .ru ? "мс" : "ms")"
    }

    public static func milliseconds(_ duration: Duration) -> String {
        milliseconds(Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15)
    }

    /// Russian plural forms: 1 проверка, 3 проверки, 5 проверок (11–14 take the last).
    public static func ruPlural(_ n: Int, _ one: String, _ few: String, _ many: String) -> String {
        let mod100 = n % 100
        let mod10 = n % 10
        if (11...14).contains(mod100) { return many }
        if mod10 == 1 { return one }
        if (2...4).contains(mod10) { return few }
        return many
    }

    private static func local(_ date: Date, _ zone: ChatTimeZone) -> tm {
        let shifted = date.timeIntervalSince1970.rounded(.down) + Double(zone.zone.secondsFromGMT(for: date))
        var seconds = time_t(shifted)
        var result = tm()
        gmtime_r(&seconds, &result)
        return result
    }

    private static func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
