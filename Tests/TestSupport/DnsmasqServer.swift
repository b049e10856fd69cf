import Foundation

/// Debian's dnsmasq on 127.0.0.1 and a port of its own, the DNS server in tests: the records are
/// config lines the test writes (`host-record=`, `cname=`, `mx-host=`, `txt-record=`, `local=`).
/// Nothing is read from /etc (no resolv.conf, no hosts file) and nothing is forwarded unless a line says so.
///
/// ```swift
/// @Test(.enabled(if: DnsmasqServer.isAvailableOrRequired))
/// func resolves() async throws {
///     let dns = try await DnsmasqServer(["host-record=www.test.lan,10.1.2.3", "local=/test.lan/"])
///     … DNSTarget(server: "127.0.0.1", port: dns.port, name: "www.test.lan") …
/// }
/// ```
public final class DnsmasqServer: Sendable {
    public static let executable = "/usr/sbin/dnsmasq"
    /// A DS record of the real root zone: with it a validating dnsmasq finds any unsigned answer bogus.
    static let rootTrustAnchor =
        "trust-anchor=.,20326,8,2,E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D"

    public let port: Int
    public let directory: URL
    private let server: ServerProcess

    public static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    /// For `@Test(.enabled(if:))`: skipped visibly without dnsmasq, except in CI, where `init` fails the test.
    public static var isAvailableOrRequired: Bool { isAvailable || TestEnvironment.isCI }

    public init(_ lines: [String]) async throws {
        guard Self.isAvailable else {
            throw ServerProcessError(
                "dnsmasq is required but \(Self.executable) is missing (scripts/install-deps.sh dnsmasq-base)")
        }
        port = try ServerProcess.freeLoopbackPort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("dnsmasq-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("dnsmasq.conf")
        let base = [
            "port=\(port)", "listen-address=127.0.0.1", "bind-interfaces", "no-resolv", "no-hosts", "no-poll",
            "pid-file=",
        ]
        try (base + lines).joined(separator: "\n").appending("\n").write(to: config, atomically: true, encoding: .utf8)
        let stderrPath = directory.appendingPathComponent("stderr.log").path
        var arguments = ["--keep-in-foreground", "--conf-file=\(config.path)"]
        // As root dnsmasq would drop to "nobody", which cannot read the test's directory.
        if geteuid() == 0 { arguments.append("--user=root") }
        server = try ServerProcess(
            name: "dnsmasq", executable: Self.executable, arguments: arguments, stderrPath: stderrPath)
        do {
            try await server.waitUntilListening(port: port) {
                "stderr: \(((try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "").suffix(1000))"
            }
        } catch {
            stop()
            throw error
        }
    }

    /// A dnsmasq that forwards everything to `upstream` and validates DNSSEC with the real root's
    /// trust anchor: `upstream`'s unsigned answers fail validation, so every query gets SERVFAIL.
    public static func failingInFrontOf(_ upstream: DnsmasqServer) async throws -> DnsmasqServer {
        try await DnsmasqServer(["server=127.0.0.1#\(upstream.port)", "dnssec", rootTrustAnchor])
    }

    deinit { stop() }

    public func stop() {
        server.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
