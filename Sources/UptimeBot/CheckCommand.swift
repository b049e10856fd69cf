import ArgumentParser
import Checks
import Curl
import Foundation
import ICMP
import Logging
import Monitor
import Targets

/// `uptime-bot check TARGET…`: checks targets once, as the monitor would, and prints a table —
/// how an operator in the DMZ verifies reachability and the proxy before starting the bot.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract:
            "Check targets once (ping hosts, fetch URLs, connect to ports, resolve names) and print a table; the exit code is 1 when any failed.",
        discussion: """
            The syntax is the chat's: tcp://host:port (or host:port, [v6]:port) connects to a TCP port, with \
            ?send=TEXT&expect=TEXT for a banner check (%-escaped, CR/LF as %0D%0A); dns://server[:port]/name \
            resolves a name on that server and dns:///name on the system resolver, with ?type=A|AAAA|CNAME|MX|TXT, \
            expect=TEXT, match=contains|equals and rcode=NOERROR|NXDOMAIN|SERVFAIL|…; any other "://" is fetched \
            over HTTP(S); anything else is pinged. HTTP checks go through the proxy the monitor would use: \
            CHECK_PROXY, else https_proxy/http_proxy and no_proxy from the environment; TCP and DNS connect directly.
            """)

    @OptionGroup var options: CommonOptions

    @Argument(help: "IP addresses or host names to ping, http(s) URLs to fetch, tcp:// ports, dns:// names.")
    var targets: [String]

    @Option(help: "Proxy for the HTTP checks (like CHECK_PROXY; overrides the environment).")
    var proxy: String?

    @Flag(name: .customLong("no-proxy"), help: "Connect directly for the HTTP checks, whatever the environment says.")
    var direct = false

    @Option(help: "Seconds one HTTP check may take (default: CHECK_TIMEOUT, 10).")
    var timeout: Int?

    @Option(help: "Echo requests per pinged target (default: PING_PROBES, 3).")
    var probes: Int?

    func validate() throws {
        if targets.isEmpty {
            throw ValidationError("Name at least one target, e.g. `uptime-bot check 10.0.0.1 https://example.org`.")
        }
        if proxy != nil, direct { throw ValidationError("--proxy and --no-proxy exclude each other.") }
        if let timeout, timeout < 1 { throw ValidationError("--timeout must be at least 1 second.") }
        if let probes, probes < 1 { throw ValidationError("--probes must be at least 1.") }
        for target in targets {
            do {
                switch TargetKind.guess(target) {
                case .tcp: _ = try TCPTarget(parsing: target)
                case .dns: _ = try DNSTarget(parsing: target)
                case .icmp, .http: break
                }
            } catch {
                throw ValidationError("\(target): \(error)")
            }
        }
    }

    func run() async throws {
        let settings: Settings
        do {
            settings = try await Settings.load(envFile: options.envFile, requireToken: false)
        } catch let error as SettingError {
            throw exitWithStartupFailure(error.description)
        }
        var logger = Logger(label: "uptime-bot.check")
        logger.logLevel = .error
        let proxySetting: ProxySetting =
            direct ? .none : proxy.map { .url($0) } ?? MonitorConfiguration.proxySetting(settings.checkProxy)
        let httpTimeout = Duration.seconds(timeout ?? settings.checkTimeout)

        let list = targets.map(CheckTarget.guessing)
        var pinger: ICMPPinger?
        var pingUnavailable: String?
        if list.contains(where: { $0.kind == .icmp }) {
            do {
                pinger = try ICMPPinger(logger: logger)
            } catch {
                // The pinger's one line says what to grant; the table only points at it.
                pingUnavailable = "ICMP not permitted (see the message above the table)"
                FileHandle.standardError.write(Data("uptime-bot: \(error.description)\n".utf8))
            }
        }
        let client: CurlHTTPClient
        do {
            client = try CurlHTTPClient(maxConcurrent: 50, logger: logger)
        } catch {
            throw exitWithStartupFailure("libcurl could not start: \(error)", code: 1)
        }
        defer {
            client.shutdown()
            pinger?.shutdown()
        }
        let checker = TargetChecker(
            pinger: pinger, pingUnavailable: pingUnavailable,
            http: HTTPChecker(client: client, proxy: proxySetting, logger: logger),
            pingOptions: PingOptions(
                probes: probes ?? settings.pingProbes, interval: .milliseconds(500), timeout: .seconds(2)),
            connectTimeout: min(httpTimeout, .seconds(10)), httpTimeout: httpTimeout, maxConcurrentHTTP: 50)
        let results = try await checker.check(list)
        let rows = results.map {
            CheckTable.Row(
                $0,
                route: $0.target.kind == .http ? ProxyRoute.proxy(for: $0.target.target, setting: proxySetting) : nil)
        }
        print(CheckTable.render(rows))
        if results.contains(where: { !$0.ok }) { throw ExitCode(1) }
    }
}

/// The check command's table: one row per target, columns padded to fit.
enum CheckTable {
    struct Row {
        var cells: [String]

        init(_ result: TargetCheckResult, route: String?) {
            let kind = result.target.kind == .icmp ? "ping" : result.target.kind.rawValue
            var time = result.responseTime.map(Self.milliseconds) ?? "-"
            if let sent = result.probesSent, let answered = result.probesAnswered { time += " (\(answered)/\(sent))" }
            let via = result.target.kind == .icmp ? "-" : route.map { "via \(CredentialRedaction.url($0))" } ?? "direct"
            cells = [
                result.target.target, kind, result.ok ? "ok" : "FAIL", time, result.httpStatus.map(String.init) ?? "-",
                result.failure?.description ?? "-", via, result.certificateExpiry.map(Self.expiry) ?? "-",
            ]
        }

        static func milliseconds(_ duration: Duration) -> String {
            let ms = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
            return ms < 10 ? String(format: "%.1f ms", ms) : "\(Int(ms.rounded())) ms"
        }

        /// "2027-01-31 (in 71 d)"; "(expired)" once past.
        static func expiry(_ date: Date) -> String {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withFullDate]
            let days = Int(date.timeIntervalSinceNow / 86_400)
            return "\(formatter.string(from: date)) (\(date < Date() ? "expired" : "in \(days) d"))"
        }
    }

    static let header = ["TARGET", "KIND", "RESULT", "TIME", "HTTP", "REASON", "ROUTE", "CERT EXPIRES"]

    static func render(_ rows: [Row]) -> String {
        let all = [header] + rows.map(\.cells)
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { cells in
            cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
