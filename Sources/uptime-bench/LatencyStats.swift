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

/// This process's CPU time (user + system) so far.
func processCPUTime() -> Duration {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let micros = Int64(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1_000_000 + Int64(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
    return .microseconds(micros)
}

func secondsOf(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
