import ArgumentParser
import Foundation

/// Latency samples and the figures the benchmarks print.
struct LatencyStats {
    private(set) var samples: [Duration] = []

    mutating func add(_ d: Duration) { samples.append(d) }
    mutating func merge(_ other: LatencyStats) { samples += other.samples }

    var count: Int { samples.count }

    static func percentile(_ p: Double, ofSorted sorted: [Duration]) -> Duration {
        guard !sorted.isEmpty else { return .zero }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    static func ms(_ d: Duration) -> String {
        String(format: "%.2f ms", Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
    }

    var summary: String {
        let sorted = samples.sorted()
        func ms(_ p: Double) -> String { Self.ms(Self.percentile(p, ofSorted: sorted)) }
        return "p50 \(ms(0.5))  p99 \(ms(0.99))  max \(ms(1))"
    }
}

/// This process's CPU time so far, all threads.
struct CPUTime {
    var user: Duration
    var system: Duration
    var total: Duration { user + system }

    static func now() -> CPUTime {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func duration(_ t: timeval) -> Duration { .seconds(t.tv_sec) + .microseconds(t.tv_usec) }
        return CPUTime(user: duration(usage.ru_utime), system: duration(usage.ru_stime))
    }

    /// utime + stime of another process from /proc/<pid>/stat (fields 14 and 15, in clock ticks).
    static func of(pid: pid_t) throws -> Duration {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // The command name (field 2) may hold spaces; fields are counted after its closing ")".
        guard let close = stat.lastIndex(of: ")") else { throw ValidationError("unreadable /proc/\(pid)/stat") }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else {
            throw ValidationError("unreadable /proc/\(pid)/stat")
        }
        let ticks = Int(sysconf(Int32(_SC_CLK_TCK)))
        return .milliseconds((user + system) * 1000 / max(1, ticks))
    }
}

extension Duration {
    /// The duration in seconds, for printing figures.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
