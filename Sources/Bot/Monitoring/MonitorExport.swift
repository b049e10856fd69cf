import Foundation
import Storage

/// One's monitors as a file to keep or to import elsewhere: JSON or CSV, both read back by `MonitorImport`.
///
/// Only name, kind, target and enabled are written: the file is shared more freely than the database,
/// so whatever else a monitor holds (check state, and secrets such as a custom HTTP header) is left
/// out, not masked.
public enum MonitorExport {
    public enum Format: String, Sendable, CaseIterable {
        case json, csv

        var mimeType: String { self == .json ? "application/json" : "text/csv" }
    }

    /// The `format` field of a JSON export.
    public static let formatName = "uptimebot.monitors"
    public static let version = 1

    struct Record: Codable {
        var name: String
        var kind: String
        var target: String
        var enabled: Bool
    }

    struct File: Codable {
        var format: String
        var version: Int
        var exportedAt: String
        var monitors: [Record]

        enum CodingKeys: String, CodingKey {
            case format, version
            case exportedAt = "exported_at"
            case monitors
        }
    }

    /// The CSV columns, in this order (the header line names them).
    static let csvColumns = ["name", "kind", "target", "enabled"]

    public static func fileName(_ format: Format, at date: Date = Date()) -> String {
        let day = ISO8601DateFormatter.string(from: date, timeZone: .gmt, formatOptions: [.withFullDate])
        return "uptimebot-monitors-\(day).\(format.rawValue)"
    }

    public static func encode(_ monitors: [MonitorRecord], as format: Format, at date: Date = Date()) throws -> [UInt8]
    {
        let records = monitors.map {
            Record(name: $0.name, kind: $0.kind.rawValue, target: $0.target, enabled: $0.enabled)
        }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let file = File(
                format: formatName, version: version,
                exportedAt: ISO8601DateFormatter.string(
                    from: date, timeZone: .gmt, formatOptions: [.withInternetDateTime]),
                monitors: records)
            return Array(try encoder.encode(file)) + [UInt8(ascii: "\n")]
        case .csv:
            var text = csvColumns.joined(separator: ",") + "\r\n"
            for record in records {
                let fields = [record.name, record.kind, record.target, record.enabled ? "true" : "false"]
                text += fields.map(CSV.field).joined(separator: ",") + "\r\n"
            }
            return Array(text.utf8)
        }
    }
}

/// RFC 4180 fields, with the spreadsheet-formula guard: a field starting with = + - @ is written
/// with a leading apostrophe (so opening the export in a spreadsheet runs nothing) and read back without it.
enum CSV {
    static func field(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Records of a CSV text (quoted fields may hold commas, quotes and line breaks).
    static func records(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        quoted = false
                        pending = next
                    }
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty: quoted = true
            case ",":
                record.append(unguarded(field))
                field = ""
            case "\n", "\r\n", "\r":
                record.append(unguarded(field))
                records.append(record)
                record = []
                field = ""
            default: field.append(character)
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(unguarded(field))
            records.append(record)
        }
        return records
    }

    private static func unguarded(_ field: String) -> String {
        let characters = Array(field)
        if characters.count > 1, characters[0] == "'", "=+-@".contains(characters[1]) {
            return String(field.dropFirst())
        }
        return field
    }
}
