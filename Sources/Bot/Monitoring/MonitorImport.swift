import Foundation

/// A file sent to the bot, read into bulk entries: a JSON or CSV export of `MonitorExport`, or plain
/// text with one monitor a line as in a paste. Refused whole when it is not text.
public enum MonitorImport {
    /// Files larger than this are refused by the size Telegram announces, before any download.
    public static let maxBytes = 1 << 20

    public enum Refusal: Error, Sendable, Equatable {
        /// NUL bytes or not UTF-8: an image, an archive, a spreadsheet in its binary form.
        case binary
        case empty
        /// JSON, but not an export (`detail` says what is wrong).
        case invalidJSON(String)
    }

    /// The entries (at most `BulkInput.maxEntries`) and how many records the file had.
    public static func entries(from bytes: [UInt8]) throws(Refusal) -> (entries: [BulkEntry], total: Int) {
        var bytes = bytes[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }  // a UTF-8 byte order mark
        guard !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self) else { throw .binary }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .empty }
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") { return try json(Data(bytes)) }
        let records = CSV.records(trimmed)
        if let header = records.first?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }),
            header.contains("target")
        {
            return csv(header: header, rows: records.dropFirst())
        }
        return BulkInput.entries(pasted: text)
    }

    private static func json(_ data: Data) throws(Refusal) -> (entries: [BulkEntry], total: Int) {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw .invalidJSON("not valid JSON")
        }
        // The export's object, or a bare array of its records.
        guard let list = (root as? [String: Any])?["monitors"] as? [Any] ?? root as? [Any] else {
            throw .invalidJSON("no \"monitors\" list")
        }
        var entries: [BulkEntry] = []
        for (index, item) in list.prefix(BulkInput.maxEntries).enumerated() {
            let record = item as? [String: Any] ?? [:]
            entries.append(
                BulkEntry(
                    line: index + 1, target: record["target"] as? String ?? "", name: record["name"] as? String,
                    kind: record["kind"] as? String, enabled: record["enabled"] as? Bool ?? true))
        }
        return (entries, list.count)
    }

    private static func csv(header: [String], rows: ArraySlice<[String]>) -> (entries: [BulkEntry], total: Int) {
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        let (name, kind, target, enabled) = (column("name"), column("kind"), column("target"), column("enabled"))
        var entries: [BulkEntry] = []
        var total = 0
        for (index, row) in rows.enumerated() {
            guard !row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) else { continue }
            total += 1
            guard entries.count < BulkInput.maxEntries else { continue }
            func value(_ column: Int?) -> String? {
                guard let column, row.indices.contains(column) else { return nil }
                let text = row[column].trimmingCharacters(in: .whitespaces)
                return text.isEmpty ? nil : text
            }
            entries.append(
                BulkEntry(
                    line: index + 2, target: value(target) ?? "", name: value(name), kind: value(kind),
                    enabled: value(enabled)?.lowercased() != "false"))
        }
        return (entries, total)
    }
}
