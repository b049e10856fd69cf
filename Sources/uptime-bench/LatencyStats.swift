import Foundation

/// Latency samples and the figures the benchmarks print.
struct LatencyStats {
    private(set) var samples: [Duration] = []

    mutating func add(_ d: Duration) { samples.append(d) }
    mutating func merge(_ other: LatencyStats) { samples += other.samples }

    var count: Int { samples.count }

    func percentile(_ p: Double) -> Duration {
        guard !samples.isEmpty else { return .zero }
        let sorted = samples.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    static func ms(_ d: Duration) -> String {
        String(format: "%.2f ms", Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
    }

    var summary: String { "p50 \(Self.ms(percentile(0.5)))  p99 \(Self.ms(percentile(0.99)))  max \(Self.ms(percentile(1)))" }
}

/// This process's CPU time (user + system) so far.
func processCPUTime() -> Duration {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let micros = Int64(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1_000_000 + Int64(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
    return .microseconds(micros)
}

func secondsOf(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
