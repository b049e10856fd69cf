/// Per-target counters, kept free of references so updating them never touches ARC.
struct TargetStats {
    /// Probes still to send.
    var unsent: Int32 = 0
    /// Probes sent and neither answered nor expired.
    var outstanding: Int32 = 0
    var sent: Int32 = 0
    var received: Int32 = 0
    var rttSum: Int64 = 0
    var rttMin: Int64 = .max
    var rttMax: Int64 = 0

    var isFinished: Bool { unsent == 0 && outstanding == 0 }
}

/// One `ping` call as the loop thread sees it; lives on that thread only.
final class PingJob {
    let id: UInt64
    /// The loop's short handle, stored in every in-flight probe of this job.
    let key: UInt32
    let targets: [ResolvedTarget]
    let options: PingOptions.Normalized
    let continuation: CheckedContinuation<[PingResult], Never>
    var stats: [TargetStats]
    /// Errors met while probing (resolve errors stay in `targets`); sparse, hence a dictionary.
    var errors: [Int: PingError] = [:]
    var unfinishedTargets: Int

    init(_ submission: PingSubmission, key: UInt32) {
        id = submission.id
        self.key = key
        targets = submission.targets
        options = PingOptions.Normalized(submission.options)
        continuation = submission.continuation
        stats = Array(repeating: TargetStats(), count: submission.targets.count)
        unfinishedTargets = submission.targets.count
    }

    /// Resumes the caller. `interruption` marks targets that had not finished (cancel, shutdown).
    func complete(interruptedBy interruption: PingError? = nil) {
        var results: [PingResult] = []
        results.reserveCapacity(targets.count)
        for (index, target) in targets.enumerated() {
            let stats = stats[index]
            var result = PingResult(
                target: target.name, address: target.address?.description,
                sent: Int(stats.sent), received: Int(stats.received),
                error: target.error ?? errors[index] ?? (stats.isFinished ? nil : interruption)
            )
            if stats.received > 0 {
                result.rttMin = .nanoseconds(stats.rttMin)
                result.rttAvg = .nanoseconds(stats.rttSum / Int64(stats.received))
                result.rttMax = .nanoseconds(stats.rttMax)
            }
            results.append(result)
        }
        continuation.resume(returning: results)
    }
}
