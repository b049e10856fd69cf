import BSON
import CMongoC

/// A single-document write, for `bulkWrite` and `MongoBatcher`.
public enum MongoWrite: Sendable {
    case insertOne(BSONDocument)
    case updateOne(filter: BSONDocument, update: BSONDocument, upsert: Bool)
    case deleteOne(filter: BSONDocument)
}

extension MongoCollection {
    /// Sends `operations` as one unordered bulk write (libmongoc splits it at the server's batch
    /// limit) and returns each operation's own outcome: a write error (a duplicate key, a malformed
    /// update) fails only its operation, while a network or write-concern error fails them all.
    public func bulkWrite(_ operations: [MongoWrite]) async throws -> [Result<Void, MongoError>] {
        guard !operations.isEmpty else { return [] }
        return try await run { try Mongo.bulkWrite($0, operations) }
    }
}

/// One unordered bulk write; a write error belongs to its own operation, any other error to all of them.
func bulkWrite(_ collection: OpaquePointer, _ operations: [MongoWrite]) throws -> [Result<Void, MongoError>] {
    var outcomes = [Result<Void, MongoError>](repeating: .success(()), count: operations.count)
    var queued: [Int] = []  // bulk index → operation index
    try withBSON(["ordered": false]) { options in
        guard let bulk = mongoc_collection_create_bulk_operation_with_opts(collection, options) else {
            throw MongoError(kind: .other, message: "could not create a bulk write")
        }
        defer { mongoc_bulk_operation_destroy(bulk) }
        for (index, operation) in operations.enumerated() {
            do {
                try add(operation, to: bulk)
                queued.append(index)
            } catch let error as MongoError {
                outcomes[index] = .failure(error)
            }
        }
        guard !queued.isEmpty else { return }
        try withReply { reply in
            var error = bson_error_t()
            guard mongoc_bulk_operation_execute(bulk, reply, &error) == 0 else { return }
            let batchError = MongoError(error)
            let summary = try makeDocument(reply)
            let writeErrors = summary["writeErrors"]?.arrayValue ?? []
            let concernErrors = summary["writeConcernErrors"]?.arrayValue ?? []
            guard !writeErrors.isEmpty, concernErrors.isEmpty, batchError.kind != .unavailable else {
                for index in queued { outcomes[index] = .failure(batchError) }
                return
            }
            for case .document(let writeError) in writeErrors {
                guard let at = writeError["index"]?.intValue, queued.indices.contains(at) else { continue }
                outcomes[queued[at]] = .failure(MongoError(writeError: writeError))
            }
        }
    }
    return outcomes
}

private func add(_ operation: MongoWrite, to bulk: OpaquePointer) throws {
    var error = bson_error_t()
    switch operation {
    case .insertOne(let document):
        try withBSON(document) { document in
            guard mongoc_bulk_operation_insert_with_opts(bulk, document, nil, &error) else { throw MongoError(error) }
        }
    case .updateOne(let filter, let update, let upsert):
        try withBSON(filter) { filter in
            try withBSON(update) { update in
                try withBSON(["upsert": .bool(upsert)]) { options in
                    guard mongoc_bulk_operation_update_one_with_opts(bulk, filter, update, options, &error) else {
                        throw MongoError(error)
                    }
                }
            }
        }
    case .deleteOne(let filter):
        try withBSON(filter) { filter in
            guard mongoc_bulk_operation_remove_one_with_opts(bulk, filter, nil, &error) else { throw MongoError(error) }
        }
    }
}
