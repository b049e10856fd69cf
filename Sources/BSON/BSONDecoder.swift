import Foundation

/// Decodes BSON documents into `Decodable` values. Numbers are read leniently (int32, int64 and whole
/// doubles all decode as `Int`), because documents edited in mongosh often hold doubles.
public struct BSONDecoder: Sendable {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from document: BSONDocument) throws -> T {
        try decode(type, fromValue: .document(document))
    }

    public func decode<T: Decodable>(_ type: T.Type, fromValue value: BSONValue) throws -> T {
        try DecoderCore.unbox(type, from: value, codingPath: [])
    }
}

struct IndexKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = Int(stringValue)
    }
    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

final class DecoderCore: Decoder {
    let value: BSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(value: BSONValue, codingPath: [any CodingKey]) {
        self.value = value
        self.codingPath = codingPath
    }

    static func unbox<T: Decodable>(_ type: T.Type, from value: BSONValue, codingPath: [any CodingKey]) throws -> T {
        func mismatch() -> DecodingError {
            .typeMismatch(T.self, .init(codingPath: codingPath, debugDescription: "expected \(T.self), found \(value)"))
        }
        func cast(_ x: Any) throws -> T {
            guard let typed = x as? T else { throw mismatch() }
            return typed
        }
        if T.self == BSONValue.self { return try cast(value) }
        if T.self == BSONDocument.self {
            guard case .document(let d) = value else { throw mismatch() }
            return try cast(d)
        }
        if T.self == Date.self {
            guard case .datetime(let d) = value else { throw mismatch() }
            return try cast(d)
        }
        if T.self == ObjectId.self {
            switch value {
            case .objectId(let o): return try cast(o)
            case .string(let s): if let o = ObjectId(hex: s) { return try cast(o) }
            default: break
            }
            throw mismatch()
        }
        if T.self == Data.self {
            guard case .binary(_, let bytes) = value else { throw mismatch() }
            return try cast(Data(bytes))
        }
        return try T(from: DecoderCore(value: value, codingPath: codingPath))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .document(let document) = value else {
            throw DecodingError.typeMismatch(
                BSONDocument.self,
                .init(codingPath: codingPath, debugDescription: "expected a document, found \(value)"))
        }
        return KeyedDecodingContainer(KeyedContainer<Key>(document: document, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let array) = value else {
            throw DecodingError.typeMismatch(
                [BSONValue].self, .init(codingPath: codingPath, debugDescription: "expected an array, found \(value)"))
        }
        return UnkeyedContainer(array: array, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleContainer(value: value, codingPath: codingPath)
    }

    static func primitive<T>(_ type: T.Type, _ value: BSONValue, _ codingPath: [any CodingKey]) throws -> T {
        let result: Any?
        switch type {
        case is Bool.Type: result = value.boolValue
        case is String.Type: result = value.stringValue
        case is Double.Type: result = value.doubleValue
        case is Float.Type: result = value.doubleValue.map { Float($0) }
        case is Int.Type: result = value.intValue
        case is Int64.Type: result = value.intValue.map { Int64($0) }
        case is Int32.Type: result = value.intValue.flatMap { Int32(exactly: $0) }
        case is UInt.Type: result = value.intValue.flatMap { UInt(exactly: $0) }
        case is UInt64.Type: result = value.intValue.flatMap { UInt64(exactly: $0) }
        case is UInt32.Type: result = value.intValue.flatMap { UInt32(exactly: $0) }
        case is Int16.Type: result = value.intValue.flatMap { Int16(exactly: $0) }
        case is Int8.Type: result = value.intValue.flatMap { Int8(exactly: $0) }
        case is UInt16.Type: result = value.intValue.flatMap { UInt16(exactly: $0) }
        case is UInt8.Type: result = value.intValue.flatMap { UInt8(exactly: $0) }
        default: result = nil
        }
        guard let typed = result as? T else {
            throw DecodingError.typeMismatch(
                T.self, .init(codingPath: codingPath, debugDescription: "expected \(T.self), found \(value)"))
        }
        return typed
    }

    struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let document: BSONDocument
        let codingPath: [any CodingKey]
        var allKeys: [Key] { document.keys.compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool { document[key.stringValue] != nil }

        func value(_ key: Key) throws -> BSONValue {
            guard let v = document[key.stringValue] else {
                throw DecodingError.keyNotFound(
                    key, .init(codingPath: codingPath, debugDescription: "no field \"\(key.stringValue)\""))
            }
            return v
        }

        func decodeNil(forKey key: Key) throws -> Bool { document[key.stringValue]?.isNull ?? true }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
            try DecoderCore.primitive(type, value(key), codingPath + [key])
        }
        func decode(_ type: String.Type, forKey key: Key) throws -> String {
            try DecoderCore.primitive(type, value(key), codingPath + [key])
        }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
            try DecoderCore.primitive(type, value(key), codingPath + [key])
        }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
            try DecoderCore.primitive(type, value(key), codingPath + [key])
        }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
            try DecoderCore.primitive(type, value(key), codingPath + [key])
        }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 {
            try DecoderCore.primitive(type, value(key), codingPath + [key])
        }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try DecoderCore.unbox(type, from: value(key), codingPath: codingPath + [key])
        }
        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            try DecoderCore(value: value(key), codingPath: codingPath + [key]).container(keyedBy: type)
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try DecoderCore(value: value(key), codingPath: codingPath + [key]).unkeyedContainer()
        }
        func superDecoder() throws -> any Decoder { DecoderCore(value: .document(document), codingPath: codingPath) }
        func superDecoder(forKey key: Key) throws -> any Decoder {
            DecoderCore(value: try value(key), codingPath: codingPath + [key])
        }
    }

    struct UnkeyedContainer: UnkeyedDecodingContainer {
        let array: [BSONValue]
        let codingPath: [any CodingKey]
        var currentIndex = 0
        var count: Int? { array.count }
        var isAtEnd: Bool { currentIndex >= array.count }

        init(array: [BSONValue], codingPath: [any CodingKey]) {
            self.array = array
            self.codingPath = codingPath
        }

        mutating func next() throws -> BSONValue {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(
                    BSONValue.self, .init(codingPath: codingPath, debugDescription: "array ended"))
            }
            defer { currentIndex += 1 }
            return array[currentIndex]
        }

        mutating func decodeNil() throws -> Bool {
            if !isAtEnd, array[currentIndex].isNull {
                currentIndex += 1
                return true
            }
            return false
        }
        mutating func decode(_ type: Bool.Type) throws -> Bool { try DecoderCore.primitive(type, next(), codingPath) }
        mutating func decode(_ type: String.Type) throws -> String {
            try DecoderCore.primitive(type, next(), codingPath)
        }
        mutating func decode(_ type: Double.Type) throws -> Double {
            try DecoderCore.primitive(type, next(), codingPath)
        }
        mutating func decode(_ type: Int.Type) throws -> Int { try DecoderCore.primitive(type, next(), codingPath) }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let key = IndexKey(intValue: currentIndex)
            return try DecoderCore.unbox(type, from: next(), codingPath: codingPath + [key])
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            try DecoderCore(value: next(), codingPath: codingPath).container(keyedBy: type)
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            try DecoderCore(value: next(), codingPath: codingPath).unkeyedContainer()
        }
        mutating func superDecoder() throws -> any Decoder { DecoderCore(value: try next(), codingPath: codingPath) }
    }

    struct SingleContainer: SingleValueDecodingContainer {
        let value: BSONValue
        let codingPath: [any CodingKey]
        func decodeNil() -> Bool { value.isNull }
        func decode(_ type: Bool.Type) throws -> Bool { try DecoderCore.primitive(type, value, codingPath) }
        func decode(_ type: String.Type) throws -> String { try DecoderCore.primitive(type, value, codingPath) }
        func decode(_ type: Double.Type) throws -> Double { try DecoderCore.primitive(type, value, codingPath) }
        func decode(_ type: Int.Type) throws -> Int { try DecoderCore.primitive(type, value, codingPath) }
        func decode(_ type: Int64.Type) throws -> Int64 { try DecoderCore.primitive(type, value, codingPath) }
        func decode(_ type: Int32.Type) throws -> Int32 { try DecoderCore.primitive(type, value, codingPath) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try DecoderCore.unbox(type, from: value, codingPath: codingPath)
        }
    }
}
