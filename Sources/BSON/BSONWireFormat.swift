import Foundation

/// Why bytes could not be read as BSON.
public struct BSONError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

// MARK: - Writing

extension BSONDocument {
    /// The document in BSON's binary format, as libmongoc and the server expect it.
    public func bsonBytes() -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(64)
        BSONWriter.writeDocument(self, into: &out)
        return out
    }
}

enum BSONWriter {
    static func writeDocument(_ document: BSONDocument, into out: inout [UInt8]) {
        let start = out.count
        appendInt32(0, into: &out)  // length, patched below
        for (key, value) in document.elements { writeElement(key, value, into: &out) }
        out.append(0)
        patchLength(at: start, in: &out)
    }

    static func writeArray(_ array: [BSONValue], into out: inout [UInt8]) {
        let start = out.count
        appendInt32(0, into: &out)
        for (index, value) in array.enumerated() { writeElement(String(index), value, into: &out) }
        out.append(0)
        patchLength(at: start, in: &out)
    }

    static func writeElement(_ key: String, _ value: BSONValue, into out: inout [UInt8]) {
        out.append(value.typeByte)
        appendCString(key, into: &out)
        switch value {
        case .double(let v): appendInt64(Int64(bitPattern: v.bitPattern), into: &out)
        case .string(let s):
            let utf8 = s.utf8
            appendInt32(Int32(utf8.count + 1), into: &out)
            out.append(contentsOf: utf8)
            out.append(0)
        case .document(let d): writeDocument(d, into: &out)
        case .array(let a): writeArray(a, into: &out)
        case .binary(let subtype, let bytes):
            appendInt32(Int32(bytes.count), into: &out)
            out.append(subtype)
            out.append(contentsOf: bytes)
        case .objectId(let o): out.append(contentsOf: o.bytes)
        case .bool(let b): out.append(b ? 1 : 0)
        case .datetime(let d): appendInt64(Int64((d.timeIntervalSince1970 * 1000).rounded(.down)), into: &out)
        case .null: break
        case .int32(let v): appendInt32(v, into: &out)
        case .int64(let v): appendInt64(v, into: &out)
        case .timestamp(let t): appendInt64(Int64(bitPattern: t), into: &out)
        case .other(_, let bytes): out.append(contentsOf: bytes)
        }
    }

    static func appendCString(_ s: String, into out: inout [UInt8]) {
        // BSON keys cannot hold NUL; drop any rather than corrupt the document.
        for byte in s.utf8 where byte != 0 { out.append(byte) }
        out.append(0)
    }

    static func appendInt32(_ v: Int32, into out: inout [UInt8]) {
        let u = UInt32(bitPattern: v)
        out.append(UInt8(u & 0xff))
        out.append(UInt8((u >> 8) & 0xff))
        out.append(UInt8((u >> 16) & 0xff))
        out.append(UInt8(u >> 24))
    }

    static func appendInt64(_ v: Int64, into out: inout [UInt8]) {
        let u = UInt64(bitPattern: v)
        for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8((u >> UInt64(shift)) & 0xff)) }
    }

    static func patchLength(at start: Int, in out: inout [UInt8]) {
        let length = UInt32(out.count - start)
        out[start] = UInt8(length & 0xff)
        out[start + 1] = UInt8((length >> 8) & 0xff)
        out[start + 2] = UInt8((length >> 16) & 0xff)
        out[start + 3] = UInt8(length >> 24)
    }
}

// MARK: - Reading

extension BSONDocument {
    /// Parses one BSON document; every length is checked against the buffer, so bad bytes throw, never crash.
    public init(bsonBytes bytes: UnsafeRawBufferPointer) throws {
        var reader = BSONReader(bytes: bytes, position: 0)
        self = try reader.readDocument()
    }

    public init(bsonBytes bytes: [UInt8]) throws {
        self = try bytes.withUnsafeBytes { try BSONDocument(bsonBytes: $0) }
    }
}

struct BSONReader {
    let bytes: UnsafeRawBufferPointer
    var position: Int

    mutating func need(_ n: Int) throws {
        guard n >= 0, position + n <= bytes.count else { throw BSONError("truncated BSON at byte \(position)") }
    }

    mutating func readByte() throws -> UInt8 {
        try need(1)
        defer { position += 1 }
        return bytes[position]
    }

    mutating func readInt32() throws -> Int32 {
        try need(4)
        var u: UInt32 = 0
        for i in 0..<4 { u |= UInt32(bytes[position + i]) << UInt32(8 * i) }
        position += 4
        return Int32(bitPattern: u)
    }

    mutating func readInt64() throws -> Int64 {
        try need(8)
        var u: UInt64 = 0
        for i in 0..<8 { u |= UInt64(bytes[position + i]) << UInt64(8 * i) }
        position += 8
        return Int64(bitPattern: u)
    }

    mutating func readBytes(_ n: Int) throws -> [UInt8] {
        try need(n)
        defer { position += n }
        return Array(bytes[position..<(position + n)])
    }

    mutating func readCString() throws -> String {
        let start = position
        while true {
            try need(1)
            if bytes[position] == 0 { break }
            position += 1
        }
        let s = String(decoding: bytes[start..<position], as: UTF8.self)
        position += 1
        return s
    }

    mutating func readDocument() throws -> BSONDocument {
        let start = position
        let length = Int(try readInt32())
        guard length >= 5 else { throw BSONError("bad document length \(length)") }
        try need(length - 4)
        let end = start + length
        var doc = BSONDocument()
        while position < end - 1 {
            let type = try readByte()
            let key = try readCString()
            doc.append(key, try readValue(type: type))
        }
        guard position == end - 1, try readByte() == 0 else {
            throw BSONError("document does not end where its length says")
        }
        return doc
    }

    mutating func readValue(type: UInt8) throws -> BSONValue {
        switch type {
        case 0x01: return .double(Double(bitPattern: UInt64(bitPattern: try readInt64())))
        case 0x02, 0x0D, 0x0E:  // string, JavaScript code, symbol: all read as text
            let length = Int(try readInt32())
            guard length >= 1 else { throw BSONError("bad string length") }
            let raw = try readBytes(length)
            let s = String(decoding: raw.dropLast(), as: UTF8.self)
            return type == 0x02 ? .string(s) : .other(type: type, bytes: lengthPrefixed(raw))
        case 0x03: return .document(try readDocument())
        case 0x04: return .array(try readDocument().elements.map(\.value))
        case 0x05:
            let length = Int(try readInt32())
            let subtype = try readByte()
            return .binary(subtype: subtype, bytes: try readBytes(length))
        case 0x06, 0x0A, 0xFF, 0x7F: return type == 0x0A ? .null : .other(type: type, bytes: [])
        case 0x07:
            guard let id = ObjectId(bytes: try readBytes(12)) else { throw BSONError("bad ObjectId") }
            return .objectId(id)
        case 0x08: return .bool(try readByte() != 0)
        case 0x09: return .datetime(Date(timeIntervalSince1970: Double(try readInt64()) / 1000))
        case 0x0B:
            let pattern = try readCString()
            let options = try readCString()
            return .other(type: type, bytes: Array(pattern.utf8) + [0] + Array(options.utf8) + [0])
        case 0x10: return .int32(try readInt32())
        case 0x11: return .timestamp(UInt64(bitPattern: try readInt64()))
        case 0x12: return .int64(try readInt64())
        case 0x13: return .other(type: type, bytes: try readBytes(16))
        default: throw BSONError("unsupported BSON type 0x\(String(type, radix: 16))")
        }
    }

    private func lengthPrefixed(_ raw: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        BSONWriter.appendInt32(Int32(raw.count), into: &out)
        return out + raw
    }
}
