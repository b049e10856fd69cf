import ArgumentParser
import Foundation
import Glibc
import ICMP
import Logging
import TestSupport

/// `uptime-bench icmp`: one probe to each of N distinct 127.x.y.z addresses, our pinger beside
/// `fping -c1` at the same pace. Loopback only: every address in 127.0.0.0/8 answers on Linux.
struct ICMPBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "icmp",
        abstract: "Sweep loopback addresses with one ICMP probe each: ICMPPinger vs fping -c1 (wall and CPU time)."
    )

    @Option(help: "Distinct 127.x.y.z addresses to sweep.")
    var count = 10_000

    @Option(
        name: .customLong("packets-per-second"), parsing: .upToNextOption,
        help: "Pacing for both tools, one sweep each (0 = unpaced, fping -i 0).")
    var rates: [Int] = [1000, 10_000, 0]

    @Option(help: "Per-probe timeout in milliseconds (fping -t).")
    var timeoutMs = 1000

    @Option(help: "The fping binary to compare with.")
    var fping = "/usr/bin/fping"

    func run() async throws {
        let targets = loopbackAddresses(count)
        let list = FileManager.default.temporaryDirectory.appendingPathComponent("uptime-bench-icmp-\(getpid()).txt")
        try targets.joined(separator: "\n").appending("\n").write(to: list, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: list) }

        let pinger = try ICMPPinger(logger: Logger(label: "bench.icmp"))
        defer { pinger.shutdown() }
        // Warm up: thread start, first-touch page faults, lazily built tables.
        _ = await pinger.ping(Array(targets.prefix(200)), options: PingOptions(probes: 1, packetsPerSecond: 0))

        print(
            "ICMP sweep: \(count) addresses in 127.0.0.0/8, 1 probe each, timeout \(timeoutMs) ms, pinger mode \(pinger.mode)"
        )
        for rate in rates {
            let options = PingOptions(probes: 1, timeout: .milliseconds(timeoutMs), packetsPerSecond: rate)
            let cpuBefore = CPUTime.now()
            let wallBefore = ContinuousClock.now
            let results = await pinger.ping(targets, options: options)
            let wall = ContinuousClock.now - wallBefore
            let cpuAfter = CPUTime.now()
            let ours = Figures(
                received: results.reduce(0) { $0 + $1.received }, wall: wall,
                user: cpuAfter.user - cpuBefore.user, system: cpuAfter.system - cpuBefore.system
            )
            let interval = rate > 0 ? String(format: "%g", 1000.0 / Double(rate)) : "0"
            let paced = ["-i", interval, "-t", "\(timeoutMs)", "-f", list.path]
            // The brief's peer: per-target summaries (about six write(2) calls each) are part of its cost.
            let countMode = try await Self.runFping(fping, ["-c1", "-q"] + paced)
            // The same single probe with no per-target report (-r0: no retry; -s: totals only), the stricter peer.
            let quietMode = try await Self.runFping(fping, ["-r0", "-q", "-s"] + paced)

            print("")
            print("pace: \(rate > 0 ? "\(rate) packets/s" : "unpaced") (fping -i \(interval))")
            print("  tool               received    lost      wall s       cpu s   (user / sys)")
            print(ours.row("uptime-bot", sent: count))
            print(countMode.row("fping -c1 -q", sent: count))
            print(quietMode.row("fping -r0 -q -s", sent: count))
            for (name, peer) in [("fping -c1", countMode), ("fping -r0", quietMode)] {
                print(
                    String(
                        format: "  ours / %@                        %6.2f×      %6.2f×",
                        name.padding(toLength: 10, withPad: " ", startingAt: 0), ours.wall / peer.wall,
                        ours.cpu / peer.cpu))
            }
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    struct Figures {
        var received: Int
        var wall: Duration
        var user: Duration
        var system: Duration
        var cpu: Duration { user + system }

        func row(_ name: String, sent: Int) -> String {
            String(
                format: "  %@ %9d %7d  %10.3f  %10.3f   (%.3f / %.3f)",
                name.padding(toLength: 17, withPad: " ", startingAt: 0),
                received, sent - received, wall.seconds, (user + system).seconds, user.seconds, system.seconds)
        }
    }

    /// Spawns fping and reaps it with wait4 on a plain thread, so its exact rusage is known.
    static func runFping(_ path: String, _ arguments: [String]) async throws -> Figures {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("uptime-bench-fping-\(getpid()).txt")
        defer { try? FileManager.default.removeItem(at: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // fping writes its summaries to stderr.
        posix_spawn_file_actions_addopen(&actions, 2, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }

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
        return Figures(
            received: Self.repliesReported(in: summary), wall: wall, user: Duration(usage.ru_utime),
            system: Duration(usage.ru_stime))
    }

    /// Replies counted from fping's stderr: "<host> : xmt/rcv/%loss = 1/1/0%, ..." lines (-c),
    /// or the "<n> alive" total (-s).
    static func repliesReported(in summary: String) -> Int {
        summary.split(separator: "\n").reduce(0) { total, line in
            let words = line.split(separator: " ")
            if words.count == 2, words[1] == "alive" { return total + (Int(words[0]) ?? 0) }
            guard line.contains("xmt/rcv"),
                let counts = line.split(separator: "=").dropFirst().first?.split(separator: ",").first
            else { return total }
            let parts = counts.split(separator: "/")
            return total + (parts.count >= 2 ? Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0 : 0)
        }
    }
}

extension Duration {
    fileprivate init(_ time: timeval) { self = .microseconds(time.tv_sec * 1_000_000 + time.tv_usec) }
}
