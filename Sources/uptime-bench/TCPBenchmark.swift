import ArgumentParser
import Checks
import Curl
import Foundation
import Logging
import TestSupport

/// `uptime-bench tcp`: TCP connect checks against a local nginx (its own process, so neither side
/// pays for the listener), our TCPChecker beside prometheus-blackbox-exporter's tcp_connect probe,
/// in the same run. CPU as in `uptime-bench http`: ours from getrusage, the exporter's from /proc.
struct TCPBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tcp",
        abstract: "TCP checks/s and CPU: TCPChecker vs prometheus-blackbox-exporter's tcp_connect, against nginx.")

    @Option(help: "Checks per round.") var checks = 2000
    @Option(help: "Checks in flight at once, for both sides.") var concurrency = 200
    @Option(help: "Rounds per side, interleaved; the median is reported.") var rounds = 3
    @Option(help: "nginx binary (Debian: nginx-light).") var nginx = "/usr/sbin/nginx"
    @Option(help: "blackbox exporter binary.") var blackboxExporter = "/usr/bin/prometheus-blackbox-exporter"

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tcp-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (origin, port) = try await HTTPBenchmark.startOrigin(nginx: nginx, directory: directory)
        defer { origin.stop() }
        let (exporter, exporterPort) = try await PeerRounds.startExporter(
            blackboxExporter, config: Self.exporterConfig, directory: directory)
        defer { exporter.stop() }

        var logger = Logger(label: "uptime-bench.tcp")
        logger.logLevel = .error
        let client = try CurlHTTPClient(maxConcurrent: concurrency, logger: logger)
        defer { client.shutdown() }
        let checker = TCPChecker()
        let target = CheckTarget(kind: .tcp, target: "tcp://127.0.0.1:\(port)")
        let probe = "http://127.0.0.1:\(exporterPort)/probe?module=tcp&target=127.0.0.1%3A\(port)"

        print(
            "TCP checks: \(checks) connects to nginx (127.0.0.1:\(port)), concurrency \(concurrency), "
                + "median of \(rounds) interleaved rounds, one new connection per check on both sides")
        let concurrency = self.concurrency
        let (us, them) = try await PeerRounds.compare(
            ours: { count in
                try await PeerRounds.runOurs(count: count, concurrency: concurrency) {
                    try await checker.check(target, timeout: .seconds(10)).ok
                }
            },
            theirs: { count in
                try await HTTPBenchmark.runExporter(
                    client, Array(repeating: probe, count: count), pid: exporter.pid, concurrency: concurrency)
            }, checks: checks, warmUp: concurrency, rounds: rounds)
        HTTPBenchmark.report(
            ours: us, theirs: them, ourName: "uptime-bench TCPChecker", theirName: "blackbox_exporter tcp_connect")
    }

    static let exporterConfig = """
        modules:
          tcp:
            prober: tcp
            timeout: 10s
            tcp:
              preferred_ip_protocol: ip4

        """
}
