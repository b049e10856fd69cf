import ArgumentParser
import Checks
import Curl
import Foundation
import Logging
import TestSupport

/// `uptime-bench http`: HTTP checks of distinct URLs on a local nginx, our HTTPChecker beside
/// prometheus-blackbox-exporter's http_2xx probe. Both open a new connection per check. nginx and the
/// exporter run as their own processes, so each side is charged only its own CPU: ours from
/// getrusage, the exporter's from /proc/<pid>/stat (we drive its /probe endpoint with CurlHTTPClient).
struct HTTPBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: "HTTP checks/s and CPU: HTTPChecker vs prometheus-blackbox-exporter, against a local nginx.")

    @Option(help: "Distinct URLs checked per round (/check/0…/check/N-1).") var urls = 2000
    @Option(help: "Checks in flight at once, for both sides.") var concurrency = 200
    @Option(help: "Rounds per side, interleaved; the median is reported.") var rounds = 3
    @Option(help: "nginx binary (Debian: nginx-light).") var nginx = "/usr/sbin/nginx"
    @Option(help: "blackbox exporter binary.") var blackboxExporter = "/usr/bin/prometheus-blackbox-exporter"

    struct Figures {
        var checks: Int
        var succeeded: Int
        var wall: Duration
        var cpu: Duration
        var perSecond: Double { Double(checks) / wall.seconds }
    }

    /// A peer server (nginx, blackbox_exporter) as a child process; says which package is missing.
    static func startPeer(_ executable: String, _ arguments: [String]) throws -> ServerProcess {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ValidationError("\(executable) is missing (apt-get install nginx-light prometheus-blackbox-exporter)")
        }
        return try ServerProcess(name: executable, executable: executable, arguments: arguments)
    }

    /// nginx serving the check URLs from `directory`, listening on a free loopback port.
    static func startOrigin(nginx: String, directory: URL) async throws -> (ServerProcess, port: Int) {
        let port = try ServerProcess.freeLoopbackPort()
        let config = directory.appendingPathComponent("nginx.conf")
        try nginxConfig(port: port, directory: directory.path).write(to: config, atomically: true, encoding: .utf8)
        let origin = try startPeer(nginx, ["-c", config.path, "-p", directory.path + "/"])
        do {
            try await origin.waitUntilListening(port: port)
        } catch {
            origin.stop()
            throw error
        }
        return (origin, port)
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("http-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let (origin, nginxPort) = try await Self.startOrigin(nginx: nginx, directory: directory)
        defer { origin.stop() }

        let exporterPort = try ServerProcess.freeLoopbackPort()
        let exporterConfig = directory.appendingPathComponent("blackbox.yml")
        try Self.exporterConfig.write(to: exporterConfig, atomically: true, encoding: .utf8)
        let exporter = try Self.startPeer(
            blackboxExporter,
            [
                "--config.file=\(exporterConfig.path)",
                "--web.listen-address=127.0.0.1:\(exporterPort)", "--log.level=error",
            ])
        defer { exporter.stop() }
        try await exporter.waitUntilListening(port: exporterPort)

        var logger = Logger(label: "uptime-bench.http")
        logger.logLevel = .error
        let client = try CurlHTTPClient(maxConcurrent: concurrency, logger: logger)
        defer { client.shutdown() }
        let checker = HTTPChecker(client: client, proxy: .none, logger: logger)
        let targets = (0..<urls).map {
            HTTPCheckTarget(url: "http://127.0.0.1:\(nginxPort)/check/\($0)", timeout: .seconds(10))
        }
        let probes = targets.map { target in
            let encoded = target.url.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? target.url
            return "http://127.0.0.1:\(exporterPort)/probe?module=http_2xx&target=\(encoded)"
        }

        print(
            "HTTP checks: \(urls) distinct URLs on nginx (127.0.0.1:\(nginxPort)), concurrency \(concurrency), "
                + "median of \(rounds) interleaved rounds, one new connection per check on both sides")
        // Warm-up: thread start, libcurl init, the exporter's first allocations.
        _ = try await runChecker(checker, Array(targets.prefix(concurrency)))
        _ = try await Self.runExporter(
            client, Array(probes.prefix(concurrency)), pid: exporter.pid, concurrency: concurrency)

        var ours: [Figures] = []
        var theirs: [Figures] = []
        for _ in 0..<max(1, rounds) {
            ours.append(try await runChecker(checker, targets))
            theirs.append(try await Self.runExporter(client, probes, pid: exporter.pid, concurrency: concurrency))
        }
        let us = Self.median(ours)
        let them = Self.median(theirs)
        Self.report(ours: us, theirs: them, ourName: "uptime-bench HTTPChecker", theirName: "blackbox_exporter 0.23")
    }

    /// Our side: HTTPChecker, at most `concurrency` checks in flight; CPU of this whole process.
    private func runChecker(_ checker: HTTPChecker, _ targets: [HTTPCheckTarget]) async throws -> Figures {
        let cpuBefore = CPUTime.now().total
        let started = ContinuousClock.now
        let succeeded = try await Self.countSucceeding(targets, concurrency: concurrency) {
            try await checker.check($0).ok
        }
        return Figures(
            checks: targets.count, succeeded: succeeded, wall: ContinuousClock.now - started,
            cpu: CPUTime.now().total - cpuBefore)
    }

    /// Their side: /probe requests at the same concurrency; CPU of the exporter process only.
    /// The TCP and DNS benchmarks drive the exporter's other modules the same way.
    static func runExporter(_ client: CurlHTTPClient, _ probes: [String], pid: pid_t, concurrency: Int) async throws
        -> Figures
    {
        let cpuBefore = try CPUTime.of(pid: pid)
        let started = ContinuousClock.now
        let success = Array("probe_success 1".utf8)
        let succeeded = try await countSucceeding(probes, concurrency: concurrency) { url in
            let response = try await client.execute(HTTPRequest(url: url, timeout: .seconds(30), proxy: .none))
            return response.status == 200 && response.body.firstRange(of: success) != nil
        }
        return Figures(
            checks: probes.count, succeeded: succeeded, wall: ContinuousClock.now - started,
            cpu: try CPUTime.of(pid: pid) - cpuBefore)
    }

    /// Runs `check` on every item with `concurrency` in flight at once (the same for both sides);
    /// how many returned true.
    static func countSucceeding<Item: Sendable>(
        _ items: [Item], concurrency: Int, _ check: @escaping @Sendable (Item) async throws -> Bool
    ) async throws -> Int {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            var next = 0
            var succeeded = 0
            func addNext() {
                guard next < items.count else { return }
                let item = items[next]
                next += 1
                group.addTask { try await check(item) }
            }
            for _ in 0..<concurrency { addNext() }
            while let ok = try await group.next() {
                if ok { succeeded += 1 }
                addNext()
            }
            return succeeded
        }
    }

    static func median(_ figures: [Figures]) -> Figures {
        figures.sorted { $0.perSecond < $1.perSecond }[figures.count / 2]
    }

    /// The two rows and the ratio line every peer benchmark prints.
    static func report(ours us: Figures, theirs them: Figures, ourName: String, theirName: String) {
        print(row(ourName, us))
        print(row(theirName, them))
        print(
            String(
                format:
                    "ratio (ours/theirs): checks/s %.2f×, CPU per check %.2f×  (goal: ≥ 1.0× checks/s at ≤ 0.5× CPU)",
                us.perSecond / them.perSecond,
                (us.cpu.seconds / Double(us.checks)) / max(1e-9, them.cpu.seconds / Double(them.checks))))
        if us.succeeded < us.checks || them.succeeded < them.checks {
            print(
                "warning: not every check succeeded (ours \(us.succeeded)/\(us.checks), theirs \(them.succeeded)/\(them.checks))"
            )
        }
    }

    static func row(_ name: String, _ f: Figures) -> String {
        String(
            format: "%@  %8.0f checks/s  wall %6.3f s  CPU %6.3f s  (%.1f µs CPU/check)  ok %d/%d",
            name.padding(toLength: 26, withPad: " ", startingAt: 0), f.perSecond, f.wall.seconds, f.cpu.seconds,
            f.cpu.seconds * 1e6 / Double(f.checks), f.succeeded, f.checks)
    }

    static func nginxConfig(port: Int, directory: String) -> String {
        """
        daemon off;
        worker_processes 1;
        pid \(directory)/nginx.pid;
        error_log \(directory)/error.log error;
        events { worker_connections 8192; }
        http {
            access_log off;
            client_body_temp_path \(directory)/body;
            proxy_temp_path \(directory)/proxy;
            fastcgi_temp_path \(directory)/fastcgi;
            uwsgi_temp_path \(directory)/uwsgi;
            scgi_temp_path \(directory)/scgi;
            server {
                listen 127.0.0.1:\(port) backlog=4096;
                location /check/ { default_type text/plain; return 200 "ok\\n"; }
            }
        }

        """
    }

    static let exporterConfig = """
        modules:
          http_2xx:
            prober: http
            timeout: 10s
            http:
              preferred_ip_protocol: ip4

        """
}
