/// The isolation bench's verdict: other owners' outage-to-alert times without and with the noisy
/// owner, and their ratio (goal: within 10 %).
struct IsolationFigures {
    var without: [Duration]
    var with: [Duration]
    var owners: Int

    static func summary(_ times: [Duration]) -> String {
        let sorted = times.sorted()
        func s(_ p: Double) -> String { String(format: "%.2f s", LatencyStats.percentile(p, ofSorted: sorted).seconds) }
        return "median \(s(0.5)), p95 \(s(0.95)), max \(s(1))"
    }

    func print() {
        let (a, b) = (without.sorted(), with.sorted())
        func ratio(_ p: Double) -> Double {
            LatencyStats.percentile(p, ofSorted: b).seconds
                / max(0.001, LatencyStats.percentile(p, ofSorted: a).seconds)
        }
        let ratios = [("median", ratio(0.5)), ("p95", ratio(0.95)), ("max", ratio(1))]
        Swift.print("all runs without the noisy owner: \(Self.summary(a)) (\(a.count) of \(owners) alerted)")
        Swift.print("all runs with the noisy owner:    \(Self.summary(b)) (\(b.count) of \(owners) alerted)")
        let within = ratios.allSatisfy { $0.1 <= 1.10 } && a.count == owners && b.count == owners
        Swift.print(
            "ratio with/without: "
                + ratios.map { "\($0.0) \(String(format: "%.3f", $0.1))" }.joined(separator: ", ")
                + " (goal ≤ 1.10: \(within ? "met" : "NOT met"))")
    }
}
