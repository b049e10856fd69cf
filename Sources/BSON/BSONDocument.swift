/// An ordered BSON document. Order matters to MongoDB (sort specs, index keys, `_id` first).
public struct BSONDocument: Sendable, Hashable {
    public private(set) var elements: [(key: String, value: BSONValue)]

    public init() { elements = [] }

    public init(_ elements: [(String, BSONValue)]) {
        self.elements = elements.map { (key: $0.0, value: $0.1) }
    }

    public var keys: [String] { elements.map(\.key) }
    public var isEmpty: Bool { elements.isEmpty }
    public var count: Int { elements.count }

    /// Reads or replaces the value for `key`; assigning nil removes it. New keys are appended.
    public subscript(key: String) -> BSONValue? {
        get { elements.first(where: { $0.key == key })?.value }
        set {
            if let index = elements.firstIndex(where: { $0.key == key }) {
                if let newValue { elements[index].value = newValue } else { elements.remove(at: index) }
            } else if let newValue {
                elements.append((key: key, value: newValue))
            }
        }
    }

    /// Follows a dotted path (`last_check.at`) through nested documents.
    public subscript(path path: String) -> BSONValue? {
        var current: BSONValue = .document(self)
        for part in path.split(separator: ".") {
            guard case .document(let doc) = current, let next = doc[String(part)] else { return nil }
            current = next
        }
        return current
    }

    public mutating func append(_ key: String, _ value: BSONValue) {
        elements.append((key: key, value: value))
    }

    public static func == (lhs: BSONDocument, rhs: BSONDocument) -> Bool {
        lhs.elements.count == rhs.elements.count
            && zip(lhs.elements, rhs.elements).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for element in elements {
            hasher.combine(element.key)
            hasher.combine(element.value)
        }
    }
}

extension BSONDocument: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, BSONValue)...) { self.init(elements) }
}

extension BSONDocument: Sequence {
    public func makeIterator() -> IndexingIterator<[(key: String, value: BSONValue)]> { elements.makeIterator() }
}

extension BSONDocument: CustomStringConvertible {
    public var description: String {
        "{" + elements.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
    }
}
