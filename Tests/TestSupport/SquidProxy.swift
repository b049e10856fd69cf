import Foundation

/// Debian's squid on 127.0.0.1, the DMZ proxy in tests: a temporary config, no disk cache, its own
/// access log. Started in the foreground (`squid -N`) as a child process; `stop()` (or deinit) ends it.
///
/// ```swift
/// @Test(.enabled(if: SquidProxy.isAvailableOrRequired))
/// func requestsGoThroughTheProxy() async throws {
///     let squid = try await SquidProxy()
///     … request with ProxySetting.url(squid.url) …
///     #expect(await squid.waitForAccessLog(containing: "GET http://127.0.0.1:\(port)/x"))
/// }
/// ```
public final class SquidProxy: Sendable {
    public static let executable = "/usr/sbin/squid"

    public let port: Int
    /// `http://127.0.0.1:<port>`, for `ProxySetting.url` or `http_proxy`.
    public let url: String
    public let directory: URL
    /// squid names its shared-memory segments (/dev/shm/<name>-*) after this; unique per instance.
    private let serviceName: String
    private let server: ServerProcess

    public static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    /// For `@Test(.enabled(if: SquidProxy.isAvailableOrRequired))`: without squid the test is
    /// skipped visibly, except in CI (`TestEnvironment.isCI`), where it runs and `init` fails it.
    public static var isAvailableOrRequired: Bool { isAvailable || TestEnvironment.isCI }

    public init() async throws {
        guard Self.isAvailable else {
            throw ServerProcessError("squid is required but \(Self.executable) is missing (apt-get install squid)")
        }
        port = try ServerProcess.freeLoopbackPort()
        url = "http://127.0.0.1:\(port)"
        serviceName = "uptimebot\(port)x\(UInt32.random(in: 0...UInt32.max))"
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("squid-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("squid.conf")
        try Self.config(port: port, directory: directory.path).write(to: config, atomically: true, encoding: .utf8)
        // As root squid drops to cache_effective_user, which must be able to write its logs and pid.
        if geteuid() == 0, let proxyUser = getpwnam("proxy") {
            for path in [directory.path, config.path] {
                chown(path, proxyUser.pointee.pw_uid, proxyUser.pointee.pw_gid)
            }
        }
        let stderrPath = directory.appendingPathComponent("stderr.log").path
        server = try ServerProcess(
            name: "squid", executable: Self.executable,
            arguments: ["-N", "-f", config.path, "-n", serviceName], stderrPath: stderrPath)
        let cacheLog = directory.appendingPathComponent("cache.log").path
        do {
            try await server.waitUntilListening(port: port) {
                let log = (try? String(contentsOfFile: cacheLog, encoding: .utf8)) ?? ""
                let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
                return "cache.log: \(log.suffix(2000)) stderr: \(stderr.suffix(1000))"
            }
        } catch {
            stop()
            throw error
        }
    }

    deinit { stop() }

    /// Lines of squid's access log so far (native format: `time elapsed client CODE/status bytes METHOD URL …`).
    public func accessLogLines() -> [String] {
        let path = directory.appendingPathComponent("access.log").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map(String.init)
    }

    /// Waits until a log line contains `text` (squid writes a line when a request ends, a CONNECT
    /// tunnel's only when the tunnel closes). False after `timeout`.
    public func waitForAccessLog(containing text: String, timeout: Duration = .seconds(5)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        repeat {
            if accessLogLines().contains(where: { $0.contains(text) }) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        } while ContinuousClock.now < deadline
        return false
    }

    public func stop() {
        server.stop()
        // A squid that had to be killed leaves its shared-memory segments behind.
        if let names = try? FileManager.default.contentsOfDirectory(atPath: "/dev/shm") {
            for name in names where name.hasPrefix(serviceName + "-") {
                try? FileManager.default.removeItem(atPath: "/dev/shm/" + name)
            }
        }
        try? FileManager.default.removeItem(at: directory)
    }

    private static func config(port: Int, directory: String) -> String {
        """
        # Bound to loopback only, so allowing everyone is safe; no to_localhost rule: origins are local.
        http_port 127.0.0.1:\(port)
        http_access allow all
        pid_filename \(directory)/squid.pid
        access_log stdio:\(directory)/access.log
        cache_log \(directory)/cache.log
        cache_store_log none
        coredump_dir \(directory)
        cache deny all
        cache_mem 8 MB
        cache_effective_user proxy
        shutdown_lifetime 0 seconds
        logfile_rotate 0
        netdb_filename none
        pinger_enable off
        visible_hostname uptimebot-test

        """
    }
}
