import Bot
import Foundation
import Storage
import Testing

/// How a pasted line and an imported file become entries, without a bot.
struct BulkInputTests {
    @Test func aLineIsATargetANameAndATargetOrANameBarATarget() {
        let (entries, total) = BulkInput.entries(
            pasted: "10.0.0.1\n  Роутер на этаже   10.0.0.2  \n\n Сайт | https://example.org/a|b \n|10.0.0.3")
        #expect(total == 4)
        #expect(entries.map(\.line) == [1, 2, 4, 5])
        #expect(entries.map(\.target) == ["10.0.0.1", "10.0.0.2", "b", "10.0.0.3"])
        #expect(entries.map(\.name) == [nil, "Роутер на этаже", "Сайт | https://example.org/a", nil])
    }

    @Test func oneAddressIsNotAListButTwoLinesAre() {
        #expect(!BulkInput.isList("10.0.0.1"))
        #expect(!BulkInput.isList("10.0.0.1\n   \n"))
        #expect(BulkInput.isList("10.0.0.1\r\n10.0.0.2"))
    }

    @Test func aCSVExportReadsBackFieldsWithCommasQuotesLineBreaksAndFormulas() throws {
        let monitors = [
            MonitorRecord(ownerID: 1, kind: .icmp, target: "10.0.0.1", name: "a, \"b\"\nc"),
            MonitorRecord(ownerID: 1, kind: .http, target: "https://x.org/?q=1,2", name: "+1 @home", enabled: false),
        ]
        let bytes = try MonitorExport.encode(monitors, as: .csv)
        let (entries, total) = try MonitorImport.entries(from: bytes)
        #expect(total == 2)
        #expect(entries.map(\.name) == ["a, \"b\"\nc", "+1 @home"])
        #expect(entries.map(\.target) == ["10.0.0.1", "https://x.org/?q=1,2"])
        #expect(entries.map(\.kind) == ["icmp", "http"])
        #expect(entries.map(\.enabled) == [true, false])
    }

    @Test func aJSONExportReadsBackAndOddRecordsBecomeEntriesWithTheirFaults() throws {
        let json =
            #"{"format":"uptimebot.monitors","monitors":[{"name":"a","kind":"icmp","target":"10.0.0.1"},"#
            + #"{"kind":"gopher","target":"x"},42,{"name":"b","target":"10.0.0.2","enabled":false}]}"#
        let (entries, total) = try MonitorImport.entries(from: Array(json.utf8))
        #expect(total == 4)
        #expect(entries.map(\.target) == ["10.0.0.1", "x", "", "10.0.0.2"])
        #expect(entries.map(\.kind) == ["icmp", "gopher", nil, nil])
        #expect(entries.last?.enabled == false)
    }

    @Test func binaryEmptyAndBrokenFilesAreRefusedWhole() {
        #expect(throws: MonitorImport.Refusal.binary) { try MonitorImport.entries(from: [0x50, 0x4B, 0x03, 0x04, 0]) }
        #expect(throws: MonitorImport.Refusal.binary) { try MonitorImport.entries(from: [0x61, 0xC3, 0x28]) }
        #expect(throws: MonitorImport.Refusal.empty) {
            try MonitorImport.entries(from: [0xEF, 0xBB, 0xBF, 0x20, 0x0A])
        }
        #expect(throws: MonitorImport.Refusal.invalidJSON("not valid JSON")) {
            try MonitorImport.entries(from: Array("{\"monitors\": [".utf8))
        }
    }

    @Test func aLongFileIsCappedLikeAPaste() throws {
        let text = (1...5000).map { "10.1.\($0 / 250).\($0 % 250)" }.joined(separator: "\n")
        let (entries, total) = try MonitorImport.entries(from: Array(text.utf8))
        #expect(total == 5000)
        #expect(entries.count == BulkInput.maxEntries)
    }
}
