import Synchronization

/// One named condition `/health/ready` reports, e.g. "mongodb" (a ping answers) or "telegram"
/// (the Bot API was polled recently).
public struct ReadinessCheck: Sendable {
    public let name: String
    public let timeout: Duration
    let isReady: @Sendable () async -> Bool

    /// - Parameter timeout: a check still running after this counts as not ready, so one stuck
    ///   dependency cannot stall the endpoint (or Docker's HEALTHCHECK) behind it.
    public init(_ name: String, timeout: Duration = .seconds(2), isReady: @escaping @Sendable () async -> Bool) {
        self.name = name
        self.timeout = timeout
        self.isReady = isReady
    }

    /// Ready when `heartbeat` beat within `maxAge`: for work that proves itself by running,
    /// like the long-polling loop.
    public static func recent(_ name: String, heartbeat: Heartbeat, maxAge: Duration) -> ReadinessCheck {
        ReadinessCheck(name) { heartbeat.isFresh(maxAge: maxAge) }
    }

    /// Runs the check, answering false after `timeout`. The check runs in its own task: one that
    /// ignores cancellation (a blocking driver call) is abandoned, not awaited.
    func evaluate() async -> Bool {
        let outcome = Mutex<CheckedContinuation<Bool, Never>?>(nil)
        let finish: @Sendable (Bool) -> Void = { value in
            outcome.withLock { continuation in
                continuation?.resume(returning: value)
                continuation = nil
            }
        }
        return await withCheckedContinuation { continuation in
            outcome.withLock { $0 = continuation }
            let check = Task { finish(await self.isReady()) }
            let timeout = self.timeout
            Task {
                try? await Task.sleep(for: timeout)
                finish(false)
                check.cancel()
            }
        }
    }
}

/// The time of the last sign of life of a loop; `beat()` after each successful round.
public final class Heartbeat: Sendable {
    private let lastBeat = Mutex<ContinuousClock.Instant?>(nil)

    public init() {}

    public func beat() {
        lastBeat.withLock { $0 = .now }
    }

    public func isFresh(maxAge: Duration) -> Bool {
        lastBeat.withLock { last in last.map { $0.duration(to: .now) <= maxAge } ?? false }
    }
}
