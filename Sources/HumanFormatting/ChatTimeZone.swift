import Foundation
import Synchronization

/// The time zone the chat writes a user's times in: an IANA zone (`TZ` for everyone, or the user's
/// own setting) and the abbreviation its people read ("MSK", "CEST"). Foundation on Linux names every
/// zone "GMT+3", so the abbreviation comes from the zone's tzdata file (its POSIX TZ footer).
public struct ChatTimeZone: Sendable, Hashable {
    public let zone: TimeZone
    /// The IANA name as the user gave it (Foundation on Linux calls UTC "GMT").
    public let identifier: String

    public static let utc = ChatTimeZone(zone: TimeZone(identifier: "UTC") ?? .gmt, identifier: "UTC")

    public init(zone: TimeZone) { self.init(zone: zone, identifier: zone.identifier) }

    private init(zone: TimeZone, identifier: String) {
        self.zone = zone
        self.identifier = identifier
    }

    /// The zone named `name` (an IANA identifier, any letter case, or "UTC"); nil for a zone that does not exist.
    public init?(named name: String) {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.utf8.count <= 64 else { return nil }
        if trimmed.uppercased() == "UTC" || trimmed.uppercased() == "GMT" {
            self = .utc
            return
        }
        let lower = trimmed.lowercased()
        guard let identifier = Self.identifiers.first(where: { $0.lowercased() == lower }),
            let zone = TimeZone(identifier: identifier)
        else { return nil }
        self.init(zone: zone, identifier: identifier)
    }

    /// The stored setting, else the operator's default, else UTC; a stored name that no longer
    /// exists falls back the same way (data read back is input).
    public static func resolve(_ setting: String?, default fallback: ChatTimeZone = .utc) -> ChatTimeZone {
        setting.flatMap(ChatTimeZone.init(named:)) ?? fallback
    }

    /// "MSK", "CEST", "EST"; zones without letters read "UTC+5".
    public func abbreviation(at date: Date) -> String {
        let names = Self.footerNames(identifier)
        let letters = zone.isDaylightSavingTime(for: date) ? names?.dst ?? names?.std : names?.std
        if let letters { return letters }
        let seconds = zone.secondsFromGMT(for: date)
        if seconds == 0 { return "UTC" }
        let sign = seconds < 0 ? "-" : "+"
        let minutes = abs(seconds) / 60
        return minutes % 60 == 0
            ? "UTC\(sign)\(minutes / 60)" : "UTC\(sign)\(minutes / 60):\(minutes % 60 < 10 ? "0" : "")\(minutes % 60)"
    }

    /// Up to `limit` existing zones that look like `text` (a city, a region, a typo of either).
    public static func suggestions(for text: String, limit: Int = 5) -> [String] {
        let query = text.lowercased().filter { $0.isLetter }
        guard !query.isEmpty else { return ["Europe/Moscow", "Europe/Kaliningrad", "Asia/Yekaterinburg", "UTC"] }
        let scored = identifiers.compactMap { identifier -> (Int, String)? in
            let city = identifier.lowercased().split(separator: "/").last.map(String.init) ?? ""
            let plain = city.filter { $0.isLetter }
            if plain.contains(query) || identifier.lowercased().contains(query) { return (0, identifier) }
            let distance = editDistance(query, plain)
            return distance <= max(2, query.count / 2) ? (distance, identifier) : nil
        }
        return Array(scored.sorted { $0 < $1 }.prefix(limit).map(\.1))
    }

    private static let identifiers = TimeZone.knownTimeZoneIdentifiers

    // MARK: tzdata

    private static let footerCache = Mutex<[String: (std: String, dst: String?)?]>([:])

    /// The standard and daylight names from the POSIX TZ string at the end of the zone's tzdata file
    /// ("MSK-3", "CET-1CEST,M3.5.0,M10.5.0/3"); nil when the file or letters are missing ("<+05>-5").
    /// Read once per zone (a few kilobytes) and kept.
    static func footerNames(_ identifier: String) -> (std: String, dst: String?)? {
        if let cached = footerCache.withLock({ $0[identifier] }) { return cached }
        var names: (std: String, dst: String?)?
        let path = "/usr/share/zoneinfo/" + identifier
        if !identifier.contains(".."), let data = FileManager.default.contents(atPath: path),
            let footer = String(decoding: data.suffix(200), as: UTF8.self).split(separator: "\n").last
        {
            names = parse(footer: String(footer))
        }
        footerCache.withLock { $0[identifier] = names }
        return names
    }

    static func parse(footer: String) -> (std: String, dst: String?)? {
        let rule = footer.split(separator: ",").first.map(String.init) ?? footer
        var parts: [String] = []
        var current = ""
        for character in rule {
            if character.isLetter {
                current.append(character)
            } else if !current.isEmpty {
                parts.append(current)
                current = ""
            }
            if character == "<" { return nil }  // numeric names: <+05>
        }
        if !current.isEmpty { parts.append(current) }
        guard let std = parts.first, std.count >= 3 else { return nil }
        return (std, parts.count > 1 ? parts[1] : nil)
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var row = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = row
        }
        return previous[b.count]
    }
}
