import BSON
import Logging

/// Decodes the documents of a list one by one: one that cannot be read (edited by hand in mongosh,
/// written by an older version) is skipped with a warning naming its collection and `_id`, so it
/// never fails the whole list and blocks everyone else in it.
struct DocumentReader: Sendable {
    let collection: String
    let logger: Logger

    func decode<T: Decodable>(_ type: T.Type, _ documents: [BSONDocument]) -> [T] {
        documents.compactMap { decode(type, $0) }
    }

    func decode<T: Decodable>(_ type: T.Type, _ document: BSONDocument) -> T? {
        do {
            return try BSONDecoder().decode(type, from: document)
        } catch {
            logger.warning(
                "skipping unreadable document",
                metadata: [
                    "collection": "\(collection)", "_id": "\(document["_id"] ?? .null)", "error": "\(error)",
                ])
            return nil
        }
    }
}
