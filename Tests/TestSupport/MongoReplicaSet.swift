import BSON
import Foundation
import Mongo

/// A real replica set for tests: three mongod from the wheel on loopback ports, each with a dbpath
/// of its own, initiated with `replSetInitiate`. Stopped (and its files removed) by `stop()`.
public final class MongoReplicaSet: @unchecked Sendable {
    // Mutated only by the test that owns it, one call at a time.
    public let name: String
    public let ports: [Int]
    public let directory: URL
    private var processes: [Int: ServerProcess] = [:]

    /// The URI the bot gets: every member and the set's name (so writes follow the primary).
    public var uri: String {
        "mongodb://" + ports.map { "127.0.0.1:\($0)" }.joined(separator: ",") + "/?replicaSet=\(name)"
    }

    public init(members: Int = 3) throws {
        guard TestEnvironment.mongodPath != nil else { throw TestMongo.Missing() }
        name = "rs\(UUID().uuidString.prefix(6).lowercased())"
        ports = try (0..<members).map { _ in try ServerProcess.freeLoopbackPort() }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("uptimebot-\(name)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Starts every member, initiates the set and waits for a primary that takes writes.
    public func start() async throws {
        guard let binary = TestEnvironment.mongodPath else { throw TestMongo.Missing() }
        for port in ports {
            let path = directory.appendingPathComponent("\(port)")
            try FileManager.default.createDirectory(at: path, withIntermediateDirectories: true)
            let process = try ServerProcess(
                name: "mongod \(port)", executable: binary,
                arguments: [
                    "--replSet", name, "--bind_ip", "127.0.0.1", "--port", String(port), "--dbpath", path.path,
                    "--logpath", path.appendingPathComponent("mongod.log").path, "--wiredTigerCacheSizeGB", "0.25",
                    "--setParameter", "diagnosticDataCollectionEnabled=false",
                ])
            processes[port] = process
            try await process.waitUntilListening(port: port, timeout: .seconds(60))
        }
        let first = try MongoClient(uri: "mongodb://127.0.0.1:\(ports[0])/?directConnection=true", threads: 1)
        let members: [BSONValue] = ports.enumerated().map { index, port in
            ["_id": .int64(Int64(index)), "host": .string("127.0.0.1:\(port)")]
        }
        do {
            try await first.database("admin").runCommand([
                "replSetInitiate": [
                    "_id": .string(name), "members": .array(members), "settings": ["electionTimeoutMillis": 2000],
                ]
            ])
        } catch {
            await first.shutdown()
            throw error
        }
        await first.shutdown()
        try await waitForPrimary()
    }

    /// Waits until a write with `w: majority` succeeds through the set's URI.
    public func waitForPrimary(timeout: Duration = .seconds(90)) async throws {
        let client = try MongoClient(uri: uri, threads: 1, timeouts: MongoTimeouts(serverSelection: .seconds(2)))
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            do {
                try await client.database("rs_probe").collection("probe").insertOne(["at": .datetime(Date())])
                await client.shutdown()
                return
            } catch {
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
        await client.shutdown()
        throw ServerProcessError("replica set \(name) elected no primary within \(timeout)")
    }

    /// The port of the member that is primary now, if any answers so.
    public func primaryPort() async -> Int? {
        for port in ports where processes[port] != nil {
            guard
                let client = try? MongoClient(
                    uri: "mongodb://127.0.0.1:\(port)/?directConnection=true", threads: 1,
                    timeouts: MongoTimeouts(serverSelection: .seconds(2)))
            else { continue }
            let reply = try? await client.database("admin").runCommand(["hello": 1])
            await client.shutdown()
            if reply?["isWritablePrimary"]?.boolValue == true { return port }
        }
        return nil
    }

    /// Asks the primary to step down (`replSetStepDown`); returns the port that was primary.
    @discardableResult
    public func stepDown(seconds: Int = 20) async throws -> Int {
        guard let port = await primaryPort() else { throw ServerProcessError("no primary to step down") }
        let client = try MongoClient(uri: "mongodb://127.0.0.1:\(port)/?directConnection=true", threads: 1)
        // The primary closes its connections as it steps down: the reply may be an error.
        _ = try? await client.database("admin").runCommand([
            "replSetStepDown": .int64(Int64(seconds)), "secondaryCatchUpPeriodSecs": 5,
        ])
        await client.shutdown()
        return port
    }

    public func stop() async {
        for process in processes.values { await process.terminate() }
        processes = [:]
        try? FileManager.default.removeItem(at: directory)
    }

    deinit {
        for process in processes.values { process.stop() }
        try? FileManager.default.removeItem(at: directory)
    }
}
