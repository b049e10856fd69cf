import Foundation
import MetricNames
import Testing

/// docs/OPERATIONS.md's metrics table is what operators build dashboards from: it must list every
/// metric MetricName defines, with its labels, and nothing else.
struct MetricsDocumentationTests {
    struct Row: Equatable, CustomStringConvertible {
        var name: String
        var labels: [String]
        var description: String { "\(name) [\(labels.joined(separator: ", "))]" }
    }

    /// The rows of the table whose first cell is a metric name: "| `name` | kind | `a`, `b` |".
    static func documentedRows() throws -> [Row] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/OPERATIONS.md"), encoding: .utf8)
        return text.split(separator: "\n").compactMap { line -> Row? in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard cells.count >= 4, cells[1].hasPrefix("`uptimebot_") else { return nil }
            let labels = cells[3].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.hasPrefix("`") }.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "`")) }
            return Row(name: cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`")), labels: labels)
        }
    }

    @Test func theOperationsMetricsTableListsExactlyTheExportedMetricsWithTheirLabels() throws {
        let documented = try Self.documentedRows()
        let exported = MetricName.all.map { Row(name: $0, labels: MetricName.labels[$0] ?? []) }
        #expect(Set(documented.map(\.name)).count == documented.count, "a metric listed twice: \(documented)")
        #expect(documented.sorted { $0.name < $1.name } == exported.sorted { $0.name < $1.name })
    }
}
