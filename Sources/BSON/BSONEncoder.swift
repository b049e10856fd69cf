import Foundation

/// Encodes `Encodable` values into BSON documents with real BSON types: `Date` → datetime,
/// `ObjectId` → ObjectId, `Int` → int64, `Data` → binary. Key names are the CodingKeys as written.
public struct BSONEncoder: Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> BSONDocument {
        guard case .document(let document) = try encodeValue(value) else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: [], debugDescription: "top-level value is not a document"))
        }
        return document
    }

    public func encodeValue<T: Encodable>(_ value: T) throws -> BSONValue {
        try EncoderCore.box(value, codingPath: [])
    }
}

/// A node of the value being built; containers hold references so nested containers can fill them later.
final class EncodedNode {
    enum Kind {
        case value(BSONValue)
        case document([(String, EncodedNode)])
        case array([EncodedNode])
    }
    var kind: Kind
    init(_ kind: Kind) { self.kind = kind }

    func resolve() -> BSONValue {
        switch kind {
        case .value(let v): return v
        case .document(let children): return .document(BSONDocument(children.map { ($0.0, $0.1.resolve()) }))
        case .array(let children): return .array(children.map { $0.resolve() })
        }
    }

    // Both take the children out of `kind` before changing them: while `kind` still holds the array,
    // the change would copy it, once per field (quadratic in a document's size).
    func set(_ key: String, _ node: EncodedNode) {
        guard case .document(var children) = kind else { return }
        kind = .value(.null)
        if let index = children.firstIndex(where: { $0.0 == key }) {
            children[index].1 = node
        } else {
            children.append((key, node))
        }
        kind = .document(children)
    }

    func append(_ node: EncodedNode) {
        guard case .array(var children) = kind else { return }
        kind = .value(.null)
        children.append(node)
        kind = .array(children)
    }

    var count: Int {
        switch kind {
        case .array(let c): return c.count
        case .document(let c): return c.count
        case .value: return 1
        }
    }
}

final class EncoderCore: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var root: EncodedNode?

    init(codingPath: [any CodingKey]) { self.codingPath = codingPath }

    static func box<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws -> BSONValue {
        switch value {
        case let v as BSONValue: return v
        case let v as BSONDocument: return .document(v)
        case let v as Date: return .datetime(v)
        case let v as ObjectId: return .objectId(v)
        case let v as Data: return .binary(subtype: 0, bytes: [UInt8](v))
        case let v as URL: return .string(v.absoluteString)
        default:
            let encoder = EncoderCore(codingPath: codingPath)
            try value.encode(to: encoder)
            return encoder.root?.resolve() ?? .document(BSONDocument())
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let node: EncodedNode
        if let root, case .document = root.kind {
            node = root
        } else {
            node = EncodedNode(.document([]))
            root = node
        }
        return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let node: EncodedNode
        if let root, case .array = root.kind {
            node = root
        } else {
            node = EncodedNode(.array([]))
            root = node
        }
        return UnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleContainer(encoder: self) }

    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: EncodedNode
        let codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws { node.set(key.stringValue, EncodedNode(.value(.null))) }
        mutating func encode(_ value: Bool, forKey key: Key) throws {
            node.set(key.stringValue, EncodedNode(.value(.bool(value))))
        }
        mutating func encode(_ value: String, forKey key: Key) throws {
            node.set(key.stringValue, EncodedNode(.value(.string(value))))
        }
        mutating func encode(_ value: Double, forKey key: Key) throws {
            node.set(key.stringValue, EncodedNode(.value(.double(value))))
        }
        mutating func encode(_ value: Int, forKey key: Key) throws {
            node.set(key.stringValue, EncodedNode(.value(.int64(Int64(value)))))
        }
        mutating func encode(_ value: Int32, forKey key: Key) throws {
            node.set(key.stringValue, EncodedNode(.value(.int32(value))))
        }
        mutating func encode(_ value: Int64, forKey key: Key) throws {
            node.set(key.stringValue, EncodedNode(.value(.int64(value))))
        }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            node.set(key.stringValue, EncodedNode(.value(try EncoderCore.box(value, codingPath: codingPath + [key]))))
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey>
        {
            let child = EncodedNode(.document([]))
            node.set(key.stringValue, child)
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(node: child, codingPath: codingPath + [key]))
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let child = EncodedNode(.array([]))
            node.set(key.stringValue, child)
            return UnkeyedContainer(node: child, codingPath: codingPath + [key])
        }
        mutating func superEncoder() -> any Encoder { superEncoder(named: IndexKey(stringValue: "super")) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key) }
        private func superEncoder(named key: any CodingKey) -> any Encoder {
            let encoder = EncoderCore(codingPath: codingPath + [key])
            let child = EncodedNode(.document([]))
            encoder.root = child
            node.set(key.stringValue, child)
            return encoder
        }
    }

    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let node: EncodedNode
        let codingPath: [any CodingKey]
        var count: Int { node.count }

        mutating func encodeNil() throws { node.append(EncodedNode(.value(.null))) }
        mutating func encode(_ value: Bool) throws { node.append(EncodedNode(.value(.bool(value)))) }
        mutating func encode(_ value: String) throws { node.append(EncodedNode(.value(.string(value)))) }
        mutating func encode(_ value: Double) throws { node.append(EncodedNode(.value(.double(value)))) }
        mutating func encode(_ value: Int) throws { node.append(EncodedNode(.value(.int64(Int64(value))))) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            node.append(EncodedNode(.value(try EncoderCore.box(value, codingPath: codingPath))))
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<
            NestedKey
        > {
            let child = EncodedNode(.document([]))
            node.append(child)
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(node: child, codingPath: codingPath))
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let child = EncodedNode(.array([]))
            node.append(child)
            return UnkeyedContainer(node: child, codingPath: codingPath)
        }
        mutating func superEncoder() -> any Encoder {
            let encoder = EncoderCore(codingPath: codingPath)
            let child = EncodedNode(.document([]))
            encoder.root = child
            node.append(child)
            return encoder
        }
    }

    struct SingleContainer: SingleValueEncodingContainer {
        let encoder: EncoderCore
        var codingPath: [any CodingKey] { encoder.codingPath }

        mutating func encodeNil() throws { encoder.root = EncodedNode(.value(.null)) }
        mutating func encode(_ value: Bool) throws { encoder.root = EncodedNode(.value(.bool(value))) }
        mutating func encode(_ value: String) throws { encoder.root = EncodedNode(.value(.string(value))) }
        mutating func encode(_ value: Double) throws { encoder.root = EncodedNode(.value(.double(value))) }
        mutating func encode(_ value: Int) throws { encoder.root = EncodedNode(.value(.int64(Int64(value)))) }
        mutating func encode(_ value: Int32) throws { encoder.root = EncodedNode(.value(.int32(value))) }
        mutating func encode(_ value: Int64) throws { encoder.root = EncodedNode(.value(.int64(value))) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            encoder.root = EncodedNode(.value(try EncoderCore.box(value, codingPath: codingPath)))
        }
    }
}
