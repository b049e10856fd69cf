import BSON
import CMongoC

/// Options of `find`.
public struct FindOptions: Sendable {
    public var sort: BSONDocument?
    public var limit: Int?
    public var skip: Int?
    public var projection: BSONDocument?

    public init(sort: BSONDocument? = nil, limit: Int? = nil, skip: Int? = nil, projection: BSONDocument? = nil) {
        self.sort = sort
        self.limit = limit
        self.skip = skip
        self.projection = projection
    }

    var document: BSONDocument {
        var opts = BSONDocument()
        if let sort { opts["sort"] = .document(sort) }
        if let limit { opts["limit"] = .int64(Int64(limit)) }
        if let skip { opts["skip"] = .int64(Int64(skip)) }
        if let projection { opts["projection"] = .document(projection) }
        return opts
    }
}

public struct UpdateResult: Sendable, Equatable {
    public let matchedCount: Int
    public let modifiedCount: Int
    /// The `_id` of a document created by an upsert.
    public let upsertedID: BSONValue?
}

/// One index of `createIndexes`.
public struct IndexModel: Sendable {
    public var keys: BSONDocument
    public var name: String
    public var unique: Bool
    public var expireAfter: Duration?
    /// Only documents matching this filter are indexed (`partialFilterExpression`).
    public var partialFilter: BSONDocument?

    public init(
        keys: BSONDocument, name: String, unique: Bool = false, expireAfter: Duration? = nil,
        partialFilter: BSONDocument? = nil
    ) {
        self.keys = keys
        self.name = name
        self.unique = unique
        self.expireAfter = expireAfter
        self.partialFilter = partialFilter
    }

    var document: BSONDocument {
        var doc: BSONDocument = ["key": .document(keys), "name": .string(name)]
        if unique { doc["unique"] = true }
        if let expireAfter { doc["expireAfterSeconds"] = .int64(expireAfter.components.seconds) }
        if let partialFilter { doc["partialFilterExpression"] = .document(partialFilter) }
        return doc
    }
}

/// A collection handle. Every operation runs on the client's threads; errors are `MongoError`.
public struct MongoCollection: Sendable {
    public let database: MongoDatabase
    public let name: String

    /// `body` with this collection's handle, on one of the client's threads.
    func run<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> T) async throws -> T {
        let collection = self
        return try await database.client.withClient { client in try collection.withHandle(client, body) }
    }

    /// This collection's libmongoc handle on `client`, for the length of `body` (call on the client's threads).
    func withHandle<T>(_ client: OpaquePointer, _ body: (OpaquePointer) throws -> T) throws -> T {
        guard let collection = mongoc_client_get_collection(client, database.name, name) else {
            throw MongoError(kind: .other, message: "no collection \(name)")
        }
        defer { mongoc_collection_destroy(collection) }
        return try body(collection)
    }

    @discardableResult
    public func insertOne(_ document: BSONDocument) async throws -> BSONValue? {
        try await run { collection in
            try withBSON(document) { doc in
                try withReply { reply in
                    var error = bson_error_t()
                    guard mongoc_collection_insert_one(collection, doc, nil, reply, &error) else {
                        throw MongoError(error)
                    }
                    return document["_id"]
                }
            }
        }
    }

    /// Inserts all documents in one round trip (unordered: one duplicate does not stop the others).
    public func insertMany(_ documents: [BSONDocument]) async throws {
        guard !documents.isEmpty else { return }
        try await run { collection in
            let handles = documents.map { doc -> OpaquePointer? in
                let bytes = doc.bsonBytes()
                return bytes.withUnsafeBufferPointer { bson_new_from_data($0.baseAddress, $0.count) }
            }
            defer { for case let h? in handles { bson_destroy(h) } }
            let pointers = handles.compactMap { $0 }
            guard pointers.count == handles.count else {
                throw MongoError(kind: .bson, message: "could not copy documents")
            }
            try withBSON(["ordered": false]) { opts in
                try withReply { reply in
                    var error = bson_error_t()
                    var pointerArray: [OpaquePointer?] = pointers
                    guard mongoc_collection_insert_many(collection, &pointerArray, pointers.count, opts, reply, &error)
                    else {
                        throw MongoError(error)
                    }
                }
            }
        }
    }

    public func find(_ filter: BSONDocument = [:], options: FindOptions = FindOptions()) async throws -> [BSONDocument]
    {
        try await run { collection in
            try withBSON(filter) { filterPtr in
                try withBSON(options.document) { optsPtr in
                    guard let cursor = mongoc_collection_find_with_opts(collection, filterPtr, optsPtr, nil) else {
                        throw MongoError(kind: .other, message: "find returned no cursor")
                    }
                    return try drain(cursor)
                }
            }
        }
    }

    public func findOne(_ filter: BSONDocument, projection: BSONDocument? = nil) async throws -> BSONDocument? {
        try await find(filter, options: FindOptions(limit: 1, projection: projection)).first
    }

    public func aggregate(_ pipeline: [BSONDocument]) async throws -> [BSONDocument] {
        try await run { collection in
            try withBSON(["pipeline": .array(pipeline.map { .document($0) })]) { pipelinePtr in
                guard let cursor = mongoc_collection_aggregate(collection, MONGOC_QUERY_NONE, pipelinePtr, nil, nil)
                else {
                    throw MongoError(kind: .other, message: "aggregate returned no cursor")
                }
                return try drain(cursor)
            }
        }
    }

    @discardableResult
    public func updateOne(_ filter: BSONDocument, _ update: BSONDocument, upsert: Bool = false) async throws
        -> UpdateResult
    {
        try await performUpdate(filter, update, upsert: upsert, many: false)
    }

    @discardableResult
    public func updateMany(_ filter: BSONDocument, _ update: BSONDocument, upsert: Bool = false) async throws
        -> UpdateResult
    {
        try await performUpdate(filter, update, upsert: upsert, many: true)
    }

    private func performUpdate(_ filter: BSONDocument, _ update: BSONDocument, upsert: Bool, many: Bool) async throws
        -> UpdateResult
    {
        try await run { collection in
            try withBSON(filter) { filterPtr in
                try withBSON(update) { updatePtr in
                    try withBSON(["upsert": .bool(upsert)]) { optsPtr in
                        try withReply { reply in
                            var error = bson_error_t()
                            let ok =
                                many
                                ? mongoc_collection_update_many(
                                    collection, filterPtr, updatePtr, optsPtr, reply, &error)
                                : mongoc_collection_update_one(collection, filterPtr, updatePtr, optsPtr, reply, &error)
                            guard ok else { throw MongoError(error) }
                            let result = try makeDocument(reply)
                            return UpdateResult(
                                matchedCount: result["matchedCount"]?.intValue ?? 0,
                                modifiedCount: result["modifiedCount"]?.intValue ?? 0,
                                upsertedID: result["upsertedId"])
                        }
                    }
                }
            }
        }
    }

    /// One atomic findAndModify: the document after the update (`returnNew`) or before it.
    public func findOneAndUpdate(
        _ filter: BSONDocument, _ update: BSONDocument, upsert: Bool = false, returnNew: Bool = true,
        sort: BSONDocument? = nil, projection: BSONDocument? = nil
    ) async throws -> BSONDocument? {
        try await run { collection in
            try withBSON(filter) { filterPtr in
                try withBSON(update) { updatePtr in
                    try withOptionalBSON(sort) { sortPtr in
                        try withOptionalBSON(projection) { fieldsPtr in
                            try withReply { reply in
                                var error = bson_error_t()
                                guard
                                    mongoc_collection_find_and_modify(
                                        collection, filterPtr, sortPtr, updatePtr, fieldsPtr, false, upsert, returnNew,
                                        reply, &error)
                                else { throw MongoError(error) }
                                return try makeDocument(reply)["value"]?.documentValue
                            }
                        }
                    }
                }
            }
        }
    }

    /// Deletes and returns one document (the first by `sort`), atomically.
    public func findOneAndDelete(_ filter: BSONDocument, sort: BSONDocument? = nil) async throws -> BSONDocument? {
        try await run { collection in
            try withBSON(filter) { filterPtr in
                try withOptionalBSON(sort) { sortPtr in
                    try withReply { reply in
                        var error = bson_error_t()
                        guard
                            mongoc_collection_find_and_modify(
                                collection, filterPtr, sortPtr, nil, nil, true, false, false, reply, &error)
                        else { throw MongoError(error) }
                        return try makeDocument(reply)["value"]?.documentValue
                    }
                }
            }
        }
    }

    @discardableResult
    public func deleteOne(_ filter: BSONDocument) async throws -> Int { try await delete(filter, many: false) }

    @discardableResult
    public func deleteMany(_ filter: BSONDocument) async throws -> Int { try await delete(filter, many: true) }

    private func delete(_ filter: BSONDocument, many: Bool) async throws -> Int {
        try await run { collection in
            try withBSON(filter) { filterPtr in
                try withReply { reply in
                    var error = bson_error_t()
                    let ok =
                        many
                        ? mongoc_collection_delete_many(collection, filterPtr, nil, reply, &error)
                        : mongoc_collection_delete_one(collection, filterPtr, nil, reply, &error)
                    guard ok else { throw MongoError(error) }
                    return try makeDocument(reply)["deletedCount"]?.intValue ?? 0
                }
            }
        }
    }

    public func count(_ filter: BSONDocument = [:]) async throws -> Int {
        try await run { collection in
            try withBSON(filter) { filterPtr in
                try withReply { reply in
                    var error = bson_error_t()
                    let n = mongoc_collection_count_documents(collection, filterPtr, nil, nil, reply, &error)
                    guard n >= 0 else { throw MongoError(error) }
                    return Int(n)
                }
            }
        }
    }

    /// Creates the indexes (a no-op for those that already exist with the same definition).
    public func createIndexes(_ indexes: [IndexModel]) async throws {
        try await database.runCommand([
            "createIndexes": .string(name),
            "indexes": .array(indexes.map { .document($0.document) }),
        ])
    }

    public func drop() async throws {
        do {
            try await database.runCommand(["drop": .string(name)])
        } catch let error as MongoError where error.code == 26 {
            // NamespaceNotFound: already gone.
        }
    }
}

/// Reads every document of a cursor, then destroys it.
func drain(_ cursor: OpaquePointer) throws -> [BSONDocument] {
    defer { mongoc_cursor_destroy(cursor) }
    var documents: [BSONDocument] = []
    var next: OpaquePointer? = nil
    while mongoc_cursor_next(cursor, &next) {
        if let next { documents.append(try makeDocument(next)) }
    }
    var error = bson_error_t()
    if mongoc_cursor_error(cursor, &error) { throw MongoError(error) }
    return documents
}
