import Foundation
import Health
import Logging
import Prometheus

/// What `uptime-bot run` does when it cannot start: `ON_STARTUP_FAILURE=exit` (the default for a
/// process run by hand) prints one line and exits non-zero; `wait` (set in the Docker image) prints
/// the same line, keeps the health endpoint up answering "not ready", and retries MongoDB — so a
/// container with a bad setting does not crash-loop, and one started before MongoDB comes up by itself.
enum StartupWaiting {
    static var isEnabled: Bool { ProcessInfo.processInfo.environment["ON_STARTUP_FAILURE"]?.lowercased() == "wait" }

    /// The health port even when the settings are unreadable (HEALTH_PORT itself may be the bad one).
    static var fallbackHealthPort: Int {
        ProcessInfo.processInfo.environment["HEALTH_PORT"].flatMap(Int.init).flatMap {
            (1...65535).contains($0) ? $0 : nil
        } ?? 8080
    }

    /// Serves "not ready" until the process is stopped: for settings only a restart can fix.
    static func serveNotReady(
        reason check: String, host: String = "0.0.0.0", port: Int, registry: PrometheusCollectorRegistry, logger: Logger
    ) async throws -> Never {
        let health = HealthServer(
            host: host, port: port, checks: [ReadinessCheck(check) { false }], registry: registry, logger: logger)
        try await health.run()
        while true { try await Task.sleep(for: .seconds(3600)) }
    }

    /// Retries `attempt` until it succeeds, serving "not ready" meanwhile; a non-retryable failure
    /// keeps serving "not ready" for good.
    static func retrying<T>(
        after firstFailure: String, check: String, host: String, port: Int, registry: PrometheusCollectorRegistry,
        logger: Logger,
        _ attempt: () async throws(StorageBootstrap.Failure) -> T
    ) async throws -> T {
        let health = Task {
            try await HealthServer(
                host: host, port: port, checks: [ReadinessCheck(check) { false }], registry: registry, logger: logger
            ).run()
        }
        defer { health.cancel() }
        var delay = Duration.seconds(2)
        var lastMessage = firstFailure
        while true {
            do {
                let value = try await attempt()
                health.cancel()
                _ = await health.result  // the port is free again for the real health server
                return value
            } catch {
                guard error.retryable else {
                    logger.critical("\(error.message)")
                    _ = await health.result
                    throw CancellationError()
                }
                // One line per distinct failure, not one per retry.
                if error.message != lastMessage { logger.error("\(error.message); retrying") }
                lastMessage = error.message
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(30))
            }
        }
    }
}
