import Foundation

/// One BSON value. Dates are BSON UTC datetimes (milliseconds), so mongosh shows `ISODate(...)`.
public enum BSONValue: Sendable, Hashable {
    case double(Double)
    case string(String)
    case document(BSONDocument)
    case array([BSONValue])
    case binary(subtype: UInt8, bytes: [UInt8])
    case objectId(ObjectId)
    case bool(Bool)
    case datetime(Date)
    case null
    case int32(Int32)
    case int64(Int64)
    case timestamp(UInt64)
    /// A type this layer does not model (decimal128, regex, …), kept byte-exact so it round-trips.
    case other(type: UInt8, bytes: [UInt8])

    /// The value as an integer when it is one (int32, int64, or a whole double).
    public var intValue: Int? {
        switch self {
        case .int32(let v): return Int(v)
        case .int64(let v): return Int(v)
        case .double(let v) where v.rounded() == v && abs(v) < 9.0e15: return Int(v)
        default: return nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .double(let v): return v
        case .int32(let v): return Double(v)
        case .int64(let v): return Double(v)
        default: return nil
        }
    }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var documentValue: BSONDocument? { if case .document(let d) = self { return d } else { return nil } }
    public var arrayValue: [BSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var dateValue: Date? { if case .datetime(let d) = self { return d } else { return nil } }
    public var objectIdValue: ObjectId? { if case .objectId(let o) = self { return o } else { return nil } }
    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The BSON element type byte.
    var typeByte: UInt8 {
        switch self {
        case .double: return 0x01
        case .string: return 0x02
        case .document: return 0x03
        case .array: return 0x04
        case .binary: return 0x05
        case .objectId: return 0x07
        case .bool: return 0x08
        case .datetime: return 0x09
        case .null: return 0x0A
        case .int32: return 0x10
        case .timestamp: return 0x11
        case .int64: return 0x12
        case .other(let type, _): return type
        }
    }
}

extension BSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int64(Int64(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: BSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, BSONValue)...) { self = .document(BSONDocument(elements)) }
    public init(nilLiteral: ()) { self = .null }
}

extension BSONValue: CustomStringConvertible {
    /// Relaxed extended-JSON-like text, for logs and test failures.
    public var description: String {
        switch self {
        case .double(let v): return "\(v)"
        case .string(let s): return "\"\(s)\""
        case .document(let d): return d.description
        case .array(let a): return "[" + a.map(\.description).joined(separator: ", ") + "]"
        case .binary(let subtype, let bytes): return "Binary(\(subtype), \(bytes.count) bytes)"
        case .objectId(let o): return "ObjectId(\"\(o.hex)\")"
        case .bool(let b): return "\(b)"
        case .datetime(let d): return "ISODate(\"\(d.formatted(.iso8601))\")"
        case .null: return "null"
        case .int32(let v): return "\(v)"
        case .int64(let v): return "NumberLong(\(v))"
        case .timestamp(let t): return "Timestamp(\(t >> 32), \(t & 0xffff_ffff))"
        case .other(let type, let bytes): return "<type 0x\(String(type, radix: 16)), \(bytes.count) bytes>"
        }
    }
}
