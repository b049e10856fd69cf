import BSON
import CMongoC

/// A failed MongoDB operation, with the server's (or libmongoc's) code.
/// Messages come from libmongoc and never contain the URI, so they are safe to log.
public struct MongoError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// `MONGODB_URI` could not be parsed.
        case invalidURI
        /// No server could be selected or the connection broke: MongoDB is down or unreachable.
        case unavailable
        /// A unique index refused the write (server code 11000).
        case duplicateKey
        /// The server refused the operation with `code`.
        case server
        /// A document could not be converted to or from BSON.
        case bson
        /// The client was shut down.
        case closed
        case other
    }

    public let kind: Kind
    /// The server's error code (11000 for a duplicate key), or libmongoc's.
    public let code: Int
    public let message: String

    public init(kind: Kind, code: Int = 0, message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    /// One entry of a reply's `writeErrors`: a duplicate key (11000, or 11001 from old servers) is
    /// `.duplicateKey`, anything else `.server`.
    init(writeError: BSONDocument) {
        let code = writeError["code"]?.intValue ?? 0
        self.init(
            kind: Self.isDuplicateKey(code) ? .duplicateKey : .server, code: code,
            message: writeError["errmsg"]?.stringValue ?? "write error")
    }

    static func isDuplicateKey(_ code: Int) -> Bool { code == 11000 || code == 11001 }

    init(_ error: bson_error_t) {
        var copy = error
        let message = withUnsafeBytes(of: &copy.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        let domain = error.domain
        let code = Int(error.code)
        let kind: Kind
        if Self.isDuplicateKey(code) {
            kind = .duplicateKey
        } else if domain == MONGOC_ERROR_SERVER_SELECTION.rawValue || domain == MONGOC_ERROR_STREAM.rawValue {
            kind = .unavailable
        } else if domain == MONGOC_ERROR_SERVER.rawValue || domain == MONGOC_ERROR_WRITE_CONCERN.rawValue
            || domain == MONGOC_ERROR_QUERY.rawValue
        {
            kind = .server
        } else if domain == MONGOC_ERROR_BSON.rawValue {
            kind = .bson
        } else {
            kind = .other
        }
        self.init(kind: kind, code: code, message: message)
    }

    public var description: String {
        switch kind {
        case .invalidURI: return "invalid MONGODB_URI: \(message)"
        case .unavailable: return "MongoDB unavailable: \(message)"
        case .duplicateKey: return "duplicate key (E11000): \(message)"
        case .server: return "MongoDB error \(code): \(message)"
        case .bson: return "BSON error: \(message)"
        case .closed: return "MongoDB client closed"
        case .other: return "MongoDB error \(code): \(message)"
        }
    }
}
