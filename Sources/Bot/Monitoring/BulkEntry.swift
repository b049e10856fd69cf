import Foundation
import Targets

/// One monitor asked for in a pasted list or an imported file, before any check: where it came from
/// (its line or record number), the target as written, the name, and the kind when the file said it.
public struct BulkEntry: Sendable, Equatable {
    public var line: Int
    public var target: String
    public var name: String?
    /// The kind as written in an export ("icmp", "http", ...); nil guesses it from the target.
    public var kind: String?
    /// An export's `enabled`: a monitor that was paused comes back paused.
    public var enabled: Bool

    public init(line: Int, target: String, name: String? = nil, kind: String? = nil, enabled: Bool = true) {
        self.line = line
        self.target = target
        self.name = name
        self.kind = kind
        self.enabled = enabled
    }
}

/// What the bulk add reads at once, and how a pasted line is cut into name and target.
public enum BulkInput {
    /// Lines (or file records) one paste or one file may carry; the rest is left out, and the user is told.
    /// 200 is twice the default MAX_MONITORS_PER_USER and keeps one verdict list readable.
    public static let maxEntries = 200

    /// The entries of a pasted text, at most `maxEntries`, with the number of non-empty lines it had.
    public static func entries(pasted text: String) -> (entries: [BulkEntry], total: Int) {
        var entries: [BulkEntry] = []
        var total = 0
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty else { continue }
            total += 1
            if entries.count < maxEntries { entries.append(entry(line, number: index + 1)) }
        }
        return (entries, total)
    }

    /// Whether a text is a list (two lines or more with something on them) rather than one address.
    public static func isList(_ text: String) -> Bool {
        text.split(whereSeparator: \.isNewline).lazy.filter { !$0.allSatisfy(\.isWhitespace) }.prefix(2).count > 1
    }

    /// `target`, `name target` (the last word is the target, so names may have spaces) or `name | target`.
    static func entry(_ line: String, number: Int) -> BulkEntry {
        if let bar = line.lastIndex(of: "|") {
            let name = line[..<bar].trimmingCharacters(in: .whitespaces)
            let target = line[line.index(after: bar)...].trimmingCharacters(in: .whitespaces)
            return BulkEntry(line: number, target: target, name: name.isEmpty ? nil : name)
        }
        guard let space = line.lastIndex(where: { $0 == " " || $0 == "\t" }) else {
            return BulkEntry(line: number, target: line)
        }
        let name = line[..<space].trimmingCharacters(in: .whitespaces)
        return BulkEntry(line: number, target: String(line[line.index(after: space)...]), name: name)
    }
}
