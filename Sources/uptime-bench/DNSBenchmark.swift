import ArgumentParser
import Checks
import Curl
import Foundation
import Logging
import TestSupport

/// `uptime-bench dns`: A queries to a local dnsmasq (its own process) with a record this run
/// writes, our DNSChecker (c-ares) beside prometheus-blackbox-exporter's dns probe, in the same run;
/// both require NOERROR. CPU as in `uptime-bench http`.
struct DNSBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dns",
        abstract: "DNS checks/s and CPU: DNSChecker vs prometheus-blackbox-exporter's dns probe, against dnsmasq.")

    @Option(help: "Checks per round.") var checks = 5000
    @Option(help: "Checks in flight at once, for both sides.") var concurrency = 200
    @Option(help: "Rounds per side, interleaved; the median is reported.") var rounds = 3
    @Option(help: "blackbox exporter binary.") var blackboxExporter = "/usr/bin/prometheus-blackbox-exporter"

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dns-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let dns = try await DnsmasqServer([
            "host-record=www.bench.lan,10.1.2.3", "local=/bench.lan/", "dns-forward-max=10000",
        ])
        defer { dns.stop() }
        let (exporter, exporterPort) = try await PeerRounds.startExporter(
            blackboxExporter, config: Self.exporterConfig, directory: directory)
        defer { exporter.stop() }

        var logger = Logger(label: "uptime-bench.dns")
        logger.logLevel = .error
        let client = try CurlHTTPClient(maxConcurrent: concurrency, logger: logger)
        defer { client.shutdown() }
        let checker = DNSChecker()
        let target = CheckTarget(kind: .dns, target: "dns://127.0.0.1:\(dns.port)/www.bench.lan?type=A")
        let probe = "http://127.0.0.1:\(exporterPort)/probe?module=dns_a&target=127.0.0.1%3A\(dns.port)"

        print(
            "DNS checks: \(checks) A queries to dnsmasq (127.0.0.1:\(dns.port)), concurrency \(concurrency), "
                + "median of \(rounds) interleaved rounds")
        let concurrency = self.concurrency
        let (us, them) = try await PeerRounds.compare(
            ours: { count in
                try await PeerRounds.runOurs(count: count, concurrency: concurrency) {
                    try await checker.check(target, timeout: .seconds(5)).ok
                }
            },
            theirs: { count in
                try await HTTPBenchmark.runExporter(
                    client, Array(repeating: probe, count: count), pid: exporter.pid, concurrency: concurrency)
            }, checks: checks, warmUp: concurrency, rounds: rounds)
        HTTPBenchmark.report(
            ours: us, theirs: them, ourName: "uptime-bench DNSChecker", theirName: "blackbox_exporter dns")
    }

    static let exporterConfig = """
        modules:
          dns_a:
            prober: dns
            timeout: 5s
            dns:
              query_name: www.bench.lan
              query_type: A
              transport_protocol: udp
              preferred_ip_protocol: ip4
              valid_rcodes: [NOERROR]

        """
}
