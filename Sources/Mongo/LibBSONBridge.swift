import BSON
import CMongoC

// bson_t is over-aligned, so Swift imports every `bson_t *` as OpaquePointer and cannot hold one on the
// stack: documents cross into libmongoc as heap copies (one malloc + memcpy, small beside a round trip).

/// Hands a Swift document to libmongoc as a `bson_t`, freed after `body`.
func withBSON<R>(_ document: BSONDocument, _ body: (OpaquePointer) throws -> R) throws -> R {
    let bytes = document.bsonBytes()
    guard let b = bytes.withUnsafeBufferPointer({ bson_new_from_data($0.baseAddress, $0.count) }) else {
        throw MongoError(kind: .bson, message: "could not pass a document to libbson")
    }
    defer { bson_destroy(b) }
    return try body(b)
}

func withOptionalBSON<R>(_ document: BSONDocument?, _ body: (OpaquePointer?) throws -> R) throws -> R {
    guard let document else { return try body(nil) }
    return try withBSON(document) { try body($0) }
}

/// Copies a libmongoc `bson_t` into a Swift document.
func makeDocument(_ b: OpaquePointer) throws -> BSONDocument {
    guard let data = bson_get_data(b) else { throw MongoError(kind: .bson, message: "empty bson_t") }
    do {
        return try BSONDocument(bsonBytes: UnsafeRawBufferPointer(start: data, count: Int(uptimebot_bson_len(b))))
    } catch {
        throw MongoError(kind: .bson, message: "\(error)")
    }
}

/// Runs `body` with an empty reply document that libmongoc fills, then frees it.
func withReply<R>(_ body: (OpaquePointer) throws -> R) throws -> R {
    guard let reply = bson_new() else { throw MongoError(kind: .bson, message: "out of memory") }
    defer { bson_destroy(reply) }
    return try body(reply)
}
