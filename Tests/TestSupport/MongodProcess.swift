import Foundation

/// A private mongod for tests that stop and restart the server (the shared one must stay up).
public final class MongodProcess: @unchecked Sendable {
    // Mutated only by the test that owns it, one call at a time.
    public let port: Int
    public let dbPath: URL
    private var process: ServerProcess?

    public var uri: String { "mongodb://127.0.0.1:\(port)/" }

    public init() throws {
        guard TestEnvironment.mongodPath != nil else { throw TestMongo.Missing() }
        port = try ServerProcess.freeLoopbackPort()
        dbPath = FileManager.default.temporaryDirectory.appendingPathComponent(
            "uptimebot-mongod-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dbPath, withIntermediateDirectories: true)
    }

    public func start() async throws {
        guard let binary = TestEnvironment.mongodPath else { throw TestMongo.Missing() }
        let p = try ServerProcess(
            name: "mongod", executable: binary,
            arguments: [
                "--bind_ip", "127.0.0.1", "--port", String(port), "--dbpath", dbPath.path,
                "--logpath", dbPath.appendingPathComponent("mongod.log").path, "--wiredTigerCacheSizeGB", "0.25",
            ])
        process = p
        // Generous, since several mongods may start at once on a loaded CI machine.
        try await p.waitUntilListening(port: port, timeout: .seconds(60))
    }

    /// Shuts mongod down (SIGTERM: a clean shutdown) and waits for it without blocking a thread.
    public func stop() async {
        await process?.terminate()
        process = nil
    }

    deinit {
        process?.stop()  // blocking, brief: only when a test ended without stopping it
        try? FileManager.default.removeItem(at: dbPath)
    }
}
