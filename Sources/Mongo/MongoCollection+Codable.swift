import BSON

/// Typed conveniences: documents in and out as `Codable` values.
extension MongoCollection {
    public func insertOne<T: Encodable>(_ value: T) async throws {
        try await insertOne(try BSONEncoder().encode(value))
    }

    public func find<T: Decodable>(_ filter: BSONDocument = [:], options: FindOptions = FindOptions(), as type: T.Type)
        async throws -> [T]
    {
        let decoder = BSONDecoder()
        return try await find(filter, options: options).map { try decoder.decode(type, from: $0) }
    }

    public func findOne<T: Decodable>(_ filter: BSONDocument, as type: T.Type) async throws -> T? {
        guard let document = try await findOne(filter) else { return nil }
        return try BSONDecoder().decode(type, from: document)
    }
}
