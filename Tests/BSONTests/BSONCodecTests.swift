import BSON
import Foundation
import Testing

struct BSONCodecTests {
    struct Sample: Codable, Equatable {
        var id: ObjectId
        var name: String
        var count: Int
        var ratio: Double
        var flag: Bool
        var at: Date
        var tags: [String]
        var nested: Nested?
        var missing: String?
        struct Nested: Codable, Equatable {
            var a: Int32
            var b: [Int]
        }
    }

    @Test func codableRoundTripUsesRealBSONTypes() throws {
        let sample = Sample(
            id: ObjectId(), name: "привет <b>", count: 42, ratio: 0.5, flag: true,
            at: Date(timeIntervalSince1970: 1_700_000_000.123), tags: ["a", "b"], nested: .init(a: 7, b: [1, 2]))
        let document = try BSONEncoder().encode(sample)
        #expect(document["id"]?.objectIdValue == sample.id)
        #expect(document["count"] == .int64(42))
        #expect(document["at"]?.dateValue != nil)
        #expect(document["nested"]?.documentValue?["a"] == .int32(7))
        #expect(document["missing"] == nil)
        let bytes = document.bsonBytes()
        let parsed = try BSONDocument(bsonBytes: bytes)
        #expect(parsed == document)
        let decoded = try BSONDecoder().decode(Sample.self, from: parsed)
        #expect(decoded == sample)
    }

    @Test func integersDecodeFromInt32Int64AndWholeDoubles() throws {
        struct N: Codable { var n: Int }
        for value: BSONValue in [.int32(5), .int64(5), .double(5)] {
            #expect(try BSONDecoder().decode(N.self, from: ["n": value]).n == 5)
        }
        #expect(throws: DecodingError.self) { try BSONDecoder().decode(N.self, from: ["n": .double(5.5)]) }
        #expect(throws: DecodingError.self) { try BSONDecoder().decode(N.self, from: ["n": "five"]) }
    }

    @Test func truncatedOrCorruptBytesThrowInsteadOfCrashing() throws {
        let bytes = (["a": "hello", "b": ["c": 1]] as BSONDocument).bsonBytes()
        for cut in 0..<bytes.count {
            #expect(throws: (any Error).self) { try BSONDocument(bsonBytes: Array(bytes.prefix(cut))) }
        }
        var corrupt = bytes
        corrupt[0] = 0xff
        #expect(throws: (any Error).self) { try BSONDocument(bsonBytes: corrupt) }
    }

    @Test func objectIdHexRoundTripsAndRejectsGarbage() {
        let id = ObjectId()
        #expect(ObjectId(hex: id.hex) == id)
        #expect(ObjectId(hex: "zz") == nil)
        #expect(ObjectId(hex: String(repeating: "g", count: 24)) == nil)
    }

    @Test func dottedPathReadsNestedFields() {
        let document: BSONDocument = ["last_check": ["at": 1, "ok": true]]
        #expect(document[path: "last_check.ok"] == .bool(true))
        #expect(document[path: "last_check.nope"] == nil)
    }
}
