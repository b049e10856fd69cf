import BSON
import CMongoC
import Logging
import NIOPosix

/// Timeouts applied to every connection of the pool.
public struct MongoTimeouts: Sendable {
    public var serverSelection: Duration
    public var connect: Duration
    public var socket: Duration

    public init(
        serverSelection: Duration = .seconds(5), connect: Duration = .seconds(5), socket: Duration = .seconds(30)
    ) {
        self.serverSelection = serverSelection
        self.connect = connect
        self.socket = socket
    }
}

/// A pool of libmongoc clients. libmongoc calls block, so every operation runs on this client's own
/// thread pool, never on Swift concurrency's cooperative threads.
public final class MongoClient: Sendable {
    /// libmongoc's pool is thread-safe (documented); this box only carries the pointer across threads.
    final class PoolHandle: @unchecked Sendable {
        let pool: OpaquePointer
        init(_ pool: OpaquePointer) { self.pool = pool }
        deinit { mongoc_client_pool_destroy(pool) }
    }

    private static let initialized: Bool = {
        mongoc_init()
        // libmongoc's own logging goes to stderr by default; route nothing there (errors reach us as values).
        mongoc_log_set_handler(nil, nil)
        return true
    }()

    private let handle: PoolHandle
    private let threads: NIOThreadPool
    /// The database named in the URI path, if any.
    public let defaultDatabase: String?
    /// The URI names a replica set (`replicaSet=`): writes then wait for a majority and are retried.
    public let isReplicaSet: Bool

    /// - Parameter uri: a `mongodb://` URI. Its password never appears in errors.
    public init(
        uri: String, appName: String = "uptime-bot", threads threadCount: Int = 16,
        timeouts: MongoTimeouts = MongoTimeouts()
    ) throws {
        _ = MongoClient.initialized
        var error = bson_error_t()
        guard let parsed = mongoc_uri_new_with_error(uri, &error) else {
            throw MongoError(kind: .invalidURI, code: Int(error.code), message: MongoError(error).message)
        }
        defer { mongoc_uri_destroy(parsed) }
        func ms(_ d: Duration) -> Int32 {
            Int32(clamping: d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000)
        }
        // Options written in the URI (…?serverSelectionTimeoutMS=2000) win over the defaults given here.
        func setDefault(_ option: String, _ value: Int32) {
            if mongoc_uri_get_option_as_int32(parsed, option, -1) == -1 {
                mongoc_uri_set_option_as_int32(parsed, option, value)
            }
        }
        setDefault("serverselectiontimeoutms", ms(timeouts.serverSelection))
        setDefault("connecttimeoutms", ms(timeouts.connect))
        setDefault("sockettimeoutms", ms(timeouts.socket))
        setDefault("maxpoolsize", Int32(max(threadCount, 1)))
        // On a replica set a write counts once a majority has it (a step-down cannot roll it back),
        // and a write cut off by a failover is retried once on the new primary. The URI's own w or
        // retryWrites win.
        isReplicaSet = mongoc_uri_get_replica_set(parsed) != nil
        if isReplicaSet {
            if mongoc_write_concern_get_w(mongoc_uri_get_write_concern(parsed)) == MONGOC_WRITE_CONCERN_W_DEFAULT {
                let concern = mongoc_write_concern_new()
                mongoc_write_concern_set_wmajority(concern, 10_000)
                mongoc_uri_set_write_concern(parsed, concern)
                mongoc_write_concern_destroy(concern)
            }
            if !mongoc_uri_has_option(parsed, MONGOC_URI_RETRYWRITES) {
                mongoc_uri_set_option_as_bool(parsed, MONGOC_URI_RETRYWRITES, true)
            }
        }
        if let db = mongoc_uri_get_database(parsed) {
            defaultDatabase = String(cString: db)
        } else {
            defaultDatabase = nil
        }
        guard let pool = mongoc_client_pool_new_with_error(parsed, &error) else {
            throw MongoError(kind: .invalidURI, code: Int(error.code), message: MongoError(error).message)
        }
        mongoc_client_pool_set_error_api(pool, 2)
        mongoc_client_pool_set_appname(pool, appName)
        handle = PoolHandle(pool)
        threads = NIOThreadPool(numberOfThreads: max(threadCount, 1))
        threads.start()
    }

    /// Runs `body` with a client from the pool on one of this client's threads.
    func withClient<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> T) async throws -> T {
        let handle = self.handle
        do {
            return try await threads.runIfActive {
                guard let client = mongoc_client_pool_pop(handle.pool) else {
                    throw MongoError(kind: .closed, message: "no client available")
                }
                defer { mongoc_client_pool_push(handle.pool, client) }
                return try body(client)
            }
        } catch let error as MongoError {
            throw error
        } catch is CancellationError {
            throw CancellationError()  // the caller gave up; not an outage
        } catch {
            throw MongoError(kind: .closed, message: "\(error)")
        }
    }

    /// Runs `body` on one of this client's threads with a pooled client and returns at once: for work that
    /// resumes its own continuations (`MongoBatcher`). `body` gets nil when the client was shut down.
    func submit(_ body: @escaping @Sendable (OpaquePointer?) -> Void) {
        let handle = self.handle
        threads.submit { state in
            guard case .active = state, let client = mongoc_client_pool_pop(handle.pool) else { return body(nil) }
            defer { mongoc_client_pool_push(handle.pool, client) }
            body(client)
        }
    }

    public func database(_ name: String) -> MongoDatabase { MongoDatabase(client: self, name: name) }

    /// Round-trips `{ping: 1}`; throws `.unavailable` when no server answers within the selection timeout.
    public func ping() async throws {
        _ = try await database("admin").runCommand(["ping": 1])
    }

    /// The server's version string, e.g. "6.0.5".
    public func serverVersion() async throws -> String {
        let reply = try await database("admin").runCommand(["buildInfo": 1])
        return reply["version"]?.stringValue ?? "unknown"
    }

    /// Stops the worker threads; pending operations fail with `.closed`.
    public func shutdown() async {
        try? await threads.shutdownGracefully()
    }
}

/// A database handle: a name and the client; cheap to create.
public struct MongoDatabase: Sendable {
    public let client: MongoClient
    public let name: String

    public func collection(_ name: String) -> MongoCollection { MongoCollection(database: self, name: name) }

    /// Runs a database command and returns the server's reply.
    @discardableResult
    public func runCommand(_ command: BSONDocument) async throws -> BSONDocument {
        let name = self.name
        return try await client.withClient { client in
            try withBSON(command) { cmd in
                try withReply { reply in
                    var error = bson_error_t()
                    guard mongoc_client_command_simple(client, name, cmd, nil, reply, &error) else {
                        throw MongoError(error)
                    }
                    return try makeDocument(reply)
                }
            }
        }
    }

    public func drop() async throws { try await runCommand(["dropDatabase": 1]) }
}
