import ArgumentParser
import Foundation
import Glibc
import ICMP
import Logging

/// `uptime-bench icmp`: one probe to each of N distinct 127.x.y.z addresses, our pinger beside
/// `fping -c1` at the same pace. Loopback only: every address in 127.0.0.0/8 answers on Linux.
struct ICMPBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "icmp",
        abstract: "Sweep loopback addresses with one ICMP probe each: ICMPPinger vs fping -c1 (wall and CPU time)."
    )

    @Option(help: "Distinct 127.x.y.z addresses to sweep.")
    var count = 10_000

    @Option(name: .customLong("packets-per-second"), parsing: .upToNextOption,
            help: "Pacing for both tools, one sweep each (0 = unpaced, fping -i 0).")
    var rates: [Int] = [1000, 10_000, 0]

    @Option(help: "Per-probe timeout in milliseconds (fping -t).")
    var timeoutMs = 1000

    @Option(help: "The fping binary to compare with.")
    var fping = "/usr/bin/fping"

    func run() async throws {
        let targets = (0 ..< count).map { "127.\(1 + $0 / 62_500).\($0 / 250 % 250).\($0 % 250 + 1)" }
        let list = FileManager.default.temporaryDirectory.appendingPathComponent("uptime-bench-icmp-\(getpid()).txt")
        try targets.joined(separator: "\n").appending("\n").write(to: list, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: list) }

        let pinger = try ICMPPinger(logger: Logger(label: "bench.icmp"))
        defer { pinger.shutdown() }
        // Warm up: thread start, first-touch page faults, lazily built tables.
        _ = await pinger.ping(Array(targets.prefix(200)), options: PingOptions(probes: 1, packetsPerSecond: 0))

        print("ICMP sweep: \(count) addresses in 127.0.0.0/8, 1 probe each, timeout \(timeoutMs) ms, pinger mode \(pinger.mode)")
        for rate in rates {
            let options = PingOptions(probes: 1, timeout: .milliseconds(timeoutMs), packetsPerSecond: rate)
            let cpuBefore = Self.cpuTime(RUSAGE_SELF.rawValue)
            let wallBefore = ContinuousClock.now
            let results = await pinger.ping(targets, options: options)
            let ours = Figures(
                received: results.reduce(0) { $0 + $1.received },
                wall: ContinuousClock.now - wallBefore, cpu: Self.cpuTime(RUSAGE_SELF.rawValue) - cpuBefore
            )
            let interval = rate > 0 ? String(format: "%g", 1000.0 / Double(rate)) : "0"
            let theirs = try await Self.runFping(fping, ["-c1", "-q", "-i", interval, "-t", "\(timeoutMs)", "-f", list.path])

            print("")
            print("pace: \(rate > 0 ? "\(rate) packets/s" : "unpaced") (fping -i \(interval))")
            print("  tool          received    lost      wall s     cpu s (user+sys)")
            print(ours.row("uptime-bot", sent: count))
            print(theirs.row("fping -c1", sent: count))
            print(String(format: "  ours/fping                          %6.2f×     %6.2f×",
                         ours.wall / theirs.wall, ours.cpu / theirs.cpu))
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    struct Figures {
        var received: Int
        var wall: Duration
        var cpu: Duration

        func row(_ name: String, sent: Int) -> String {
            String(format: "  %@ %9d %7d  %10.3f  %10.3f", name.padding(toLength: 12, withPad: " ", startingAt: 0),
                   received, sent - received, wall.seconds, cpu.seconds)
        }
    }

    static func cpuTime(_ who: Int32) -> Duration {
        var usage = rusage()
        getrusage(who, &usage)
        return .microseconds(usage.ru_utime.tv_sec * 1_000_000 + usage.ru_utime.tv_usec + usage.ru_stime.tv_sec * 1_000_000 + usage.ru_stime.tv_usec)
    }

    /// Spawns fping and reaps it with wait4 on a plain thread, so its exact rusage is known.
    static func runFping(_ path: String, _ arguments: [String]) async throws -> Figures {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("uptime-bench-fping-\(getpid()).txt")
        defer { try? FileManager.default.removeItem(at: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // fping -q writes its per-target summary to stderr.
        posix_spawn_file_actions_addopen(&actions, 2, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }

        let start = ContinuousClock.now
        var pid: pid_t = 0
        let status = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard status == 0 else { throw Failure("cannot start \(path): \(String(cString: strerror(status)))") }
        let child = pid
        let usage = await withCheckedContinuation { (continuation: CheckedContinuation<rusage, Never>) in
            Thread {
                var usage = rusage()
                var exitStatus: Int32 = 0
                while wait4(child, &exitStatus, 0, &usage) < 0, errno == EINTR {}
                continuation.resume(returning: usage)
            }.start()
        }
        let wall = ContinuousClock.now - start
        let summary = try String(contentsOf: output, encoding: .utf8)
        // "127.1.0.1 : xmt/rcv/%loss = 1/1/0%, min/avg/max = ..."
        let received = summary.split(separator: "\n").reduce(0) { total, line in
            guard let counts = line.split(separator: "=").dropFirst().first?.split(separator: ",").first else { return total }
            let parts = counts.split(separator: "/")
            return total + (parts.count >= 2 ? Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0 : 0)
        }
        let cpu = Duration.microseconds(usage.ru_utime.tv_sec * 1_000_000 + usage.ru_utime.tv_usec + usage.ru_stime.tv_sec * 1_000_000 + usage.ru_stime.tv_usec)
        return Figures(received: received, wall: wall, cpu: cpu)
    }
}

extension Duration {
    fileprivate var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
