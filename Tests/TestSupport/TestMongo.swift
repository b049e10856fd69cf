import Foundation
import Logging
import Mongo

/// The real mongod started by `scripts/test.sh`. Every test gets a database of its own, dropped after.
public enum TestMongo {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String {
            "UPTIMEBOT_TEST_MONGODB_URI is not set: run the tests with scripts/test.sh, which starts a real mongod"
        }
    }

    /// One client for the whole test process (libmongoc pools are meant to be shared).
    public static let client: MongoClient? = {
        guard let uri = TestEnvironment.mongoURI else { return nil }
        return try? MongoClient(uri: uri, threads: 16, timeouts: MongoTimeouts(serverSelection: .seconds(3)))
    }()

    /// A client or a failure: a missing MongoDB fails the test, it never skips it.
    public static func requireClient() throws -> MongoClient {
        guard let client else { throw Missing() }
        return client
    }

    /// Runs `body` with a fresh database, dropped afterwards.
    public static func withDatabase<T>(_ body: (MongoDatabase) async throws -> T) async throws -> T {
        let client = try requireClient()
        let database = client.database("uptimebot_test_\(UUID().uuidString.prefix(8).lowercased())")
        do {
            let result = try await body(database)
            try? await database.drop()
            return result
        } catch {
            try? await database.drop()
            throw error
        }
    }

    public static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }()
}
