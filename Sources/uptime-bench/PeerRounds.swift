import Foundation
import TestSupport

/// What the TCP and DNS benchmarks share: the exporter started with a module config, our side's
/// figures (CPU of this process), and interleaved rounds of both sides compared by their medians.
enum PeerRounds {
    typealias Figures = HTTPBenchmark.Figures

    /// blackbox_exporter with `config` (its modules), on a free loopback port.
    static func startExporter(_ executable: String, config: String, directory: URL) async throws
        -> (ServerProcess, port: Int)
    {
        let port = try ServerProcess.freeLoopbackPort()
        let file = directory.appendingPathComponent("blackbox.yml")
        try config.write(to: file, atomically: true, encoding: .utf8)
        let exporter = try HTTPBenchmark.startPeer(
            executable,
            ["--config.file=\(file.path)", "--web.listen-address=127.0.0.1:\(port)", "--log.level=error"])
        do {
            try await exporter.waitUntilListening(port: port)
        } catch {
            exporter.stop()
            throw error
        }
        return (exporter, port)
    }

    /// `count` runs of `check`, `concurrency` at once; the CPU of this whole process.
    static func runOurs(count: Int, concurrency: Int, _ check: @escaping @Sendable () async throws -> Bool)
        async throws -> Figures
    {
        let cpuBefore = CPUTime.now().total
        let started = ContinuousClock.now
        let succeeded = try await HTTPBenchmark.countSucceeding(Array(0..<count), concurrency: concurrency) { _ in
            try await check()
        }
        return Figures(
            checks: count, succeeded: succeeded, wall: ContinuousClock.now - started,
            cpu: CPUTime.now().total - cpuBefore)
    }

    /// A warm-up of each side, then `rounds` interleaved rounds; the medians of ours and theirs.
    static func compare(
        ours: @Sendable (Int) async throws -> Figures, theirs: @Sendable (Int) async throws -> Figures, checks: Int,
        warmUp: Int, rounds: Int
    ) async throws -> (ours: Figures, theirs: Figures) {
        _ = try await ours(warmUp)
        _ = try await theirs(warmUp)
        var us: [Figures] = []
        var them: [Figures] = []
        for _ in 0..<max(1, rounds) {
            us.append(try await ours(checks))
            them.append(try await theirs(checks))
        }
        return (HTTPBenchmark.median(us), HTTPBenchmark.median(them))
    }
}
