import ArgumentParser
import Logging
import Mongo
import Storage

/// Opens the configured storage: MongoDB when `MONGODB_URI` is set (reachable, migrated), else memory.
struct StorageBootstrap {
    let repositories: Repositories
    let client: MongoClient?
    /// The MongoDB database in use (nil in memory).
    var database: MongoDatabase? = nil

    /// Why storage could not be opened; `retryable` when waiting may help (MongoDB not up yet).
    struct Failure: Error {
        let message: String
        let retryable: Bool
    }

    static func open(_ settings: Settings, logger: Logger) async throws(Failure) -> StorageBootstrap {
        guard let uri = settings.mongoURI else {
            logger.warning("MONGODB_URI is not set: using embedded in-memory storage; nothing persists across restarts")
            return StorageBootstrap(repositories: .inMemory(), client: nil)
        }
        let client: MongoClient
        do {
            client = try MongoClient(uri: uri)
        } catch {
            let detail = (error as? MongoError)?.message ?? ""
            throw Failure(message: "MONGODB_URI: \(detail.isEmpty ? "cannot be parsed" : detail)", retryable: false)
        }
        let databaseName =
            settings.mongoDatabaseExplicit ? settings.mongoDatabase : (client.defaultDatabase ?? settings.mongoDatabase)
        let database = client.database(databaseName)
        do {
            try await client.ping()
            let version = try await SchemaMigrator.standard(
                database: database, checkRetention: .seconds(settings.checkHistoryDays * 86_400),
                auditRetention: .seconds(settings.auditRetentionDays * 86_400), logger: logger
            ).migrate()
            logger.info("MongoDB ready", metadata: ["database": "\(databaseName)", "schema_version": "\(version)"])
        } catch {
            await client.shutdown()
            let detail = (error as? MongoError)?.message ?? "\(error)"
            throw Failure(message: "MONGODB_URI: MongoDB is not reachable or refused us: \(detail)", retryable: true)
        }
        // Several instances write conversation state in turn (whoever holds the poller lease): a
        // cache of another's writes could be stale, so it is off in a cluster.
        let clustered = settings.cluster.isEnabled(uri: uri)
        if clustered, settings.fsmCacheSeconds > 0 {
            logger.notice("FSM cache off: running as a cluster member (FSM_CACHE_SECONDS ignored)")
        }
        return StorageBootstrap(
            repositories: .mongo(
                database: database, fsmCollection: settings.fsmCollection,
                fsmCache: clustered ? .zero : .seconds(settings.fsmCacheSeconds), logger: logger), client: client,
            database: database)
    }
}
