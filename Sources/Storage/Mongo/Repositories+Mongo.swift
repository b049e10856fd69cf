import FSM
import Logging
import Mongo

extension Repositories {
    /// The MongoDB-backed stores of one database. Conversation state is cached for `fsmCache` after each
    /// read (`CachingFSMStorage`; `.zero` turns that off).
    public static func mongo(
        database: MongoDatabase, fsmCollection: String = "fsm_states", fsmCache: Duration = .seconds(60),
        logger: Logger
    ) -> Repositories {
        let fsm = MongoFSMStorage(database: database, collectionName: fsmCollection, logger: logger)
        return Repositories(
            users: CachingUserRepository(base: MongoUserRepository(database: database, logger: logger)),
            monitors: MongoMonitorRepository(database: database, logger: logger),
            checks: MongoCheckHistoryRepository(database: database),
            outbox: MongoOutboxRepository(database: database, logger: logger),
            fsm: fsmCache > .zero ? CachingFSMStorage(base: fsm, ttl: fsmCache) : fsm,
            inbox: MongoUpdateInboxRepository(database: database), audit: MongoAuditRepository(database: database))
    }
}
