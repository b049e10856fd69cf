import BSON
import CMongoC

/// One `find` for every filter of the batch (`$in` when they all name the same single field, else `$or`);
/// each filter gets the first document that matches it, or nil.
func findEach(_ collection: OpaquePointer, _ filters: [BSONDocument]) throws -> [Result<
    BSONDocument?, MongoError
>] {
    var outcomes = [Result<BSONDocument?, MongoError>](repeating: .success(nil), count: filters.count)
    var distinct: [BSONDocument] = []
    var seen = Set<BSONDocument>()
    for (index, filter) in filters.enumerated() {
        if filter.isEmpty || filter.elements.contains(where: { isOperator($0.value) }) {
            outcomes[index] = .failure(
                MongoError(kind: .other, message: "a batched read takes plain equality filters, not \(filter)"))
        } else if seen.insert(filter).inserted {
            distinct.append(filter)
        }
    }
    guard !distinct.isEmpty else { return outcomes }
    let query: BSONDocument
    let options: BSONDocument
    if let field = distinct[0].keys.first, distinct.allSatisfy({ $0.count == 1 && $0.keys.first == field }) {
        let values = distinct.compactMap { $0[field] }
        query = values.count == 1 ? [field: values[0]] : [field: ["$in": .array(values)]]
        // Unique `_id`s: at most this many documents, all in the first batch (one more than could come, so
        // the server sees the end and closes the cursor instead of leaving a getMore to find it).
        options = field == "_id" ? ["batchSize": .int64(Int64(values.count + 1))] : [:]
    } else {
        query = distinct.count == 1 ? distinct[0] : ["$or": .array(distinct.map { .document($0) })]
        options = [:]
    }
    let documents = try withBSON(query) { query in
        try withBSON(options) { options in
            guard let cursor = mongoc_collection_find_with_opts(collection, query, options, nil) else {
                throw MongoError(kind: .other, message: "find returned no cursor")
            }
            return try drain(cursor)
        }
    }
    // Index the documents by each shape of filter in the batch (usually one), then look every filter up.
    let shapes = Set(distinct.map(\.keys))
    var found: [BSONDocument: BSONDocument] = [:]
    for document in documents {
        for shape in shapes {
            var probe = BSONDocument()
            for field in shape {
                guard let value = document[path: field] else { break }
                probe.append(field, matchKey(value))
            }
            if probe.count == shape.count, found[probe] == nil { found[probe] = document }
        }
    }
    for (index, filter) in filters.enumerated() {
        guard case .success = outcomes[index] else { continue }
        outcomes[index] = .success(found[BSONDocument(filter.elements.map { ($0.key, matchKey($0.value)) })])
    }
    return outcomes
}

/// "How many documents have `field` equal to `value`", one of a batch.
struct FieldEquals: Sendable {
    let field: String
    let value: BSONValue
}

/// One `aggregate` (`$match` with `$in`, `$group` by the field) per field asked about in the batch.
func countEach(_ collection: OpaquePointer, _ questions: [FieldEquals]) throws -> [Result<Int, MongoError>] {
    var answers: [String: [BSONValue: Int]] = [:]
    for field in Set(questions.map(\.field)) {
        var values: [BSONValue] = []
        var seen = Set<BSONValue>()
        for question in questions where question.field == field && seen.insert(question.value).inserted {
            values.append(question.value)
        }
        let pipeline: BSONDocument = [
            "pipeline": [
                ["$match": .document([field: values.count == 1 ? values[0] : ["$in": .array(values)]])],
                ["$group": ["_id": .string("$" + field), "n": ["$sum": 1]]],
            ]
        ]
        let groups = try withBSON(pipeline) { pipeline in
            try withBSON(["batchSize": .int64(Int64(values.count + 1))]) { options in
                guard let cursor = mongoc_collection_aggregate(collection, MONGOC_QUERY_NONE, pipeline, options, nil)
                else {
                    throw MongoError(kind: .other, message: "aggregate returned no cursor")
                }
                return try drain(cursor)
            }
        }
        for group in groups {
            if let value = group["_id"], let n = group["n"]?.intValue {
                answers[field, default: [:]][matchKey(value), default: 0] += n
            }
        }
    }
    return questions.map { .success(answers[$0.field]?[matchKey($0.value)] ?? 0) }
}

private func isOperator(_ value: BSONValue) -> Bool {
    if case .document(let document) = value, document.keys.first?.hasPrefix("$") == true { return true }
    return false
}

/// The server matches numbers across types (int32 1, int64 1 and 1.0 are one value to a query); so does the batch.
private func matchKey(_ id: BSONValue) -> BSONValue {
    switch id {
    case .int32, .double: if let n = id.intValue { return .int64(Int64(n)) } else { return id }
    default: return id
    }
}
