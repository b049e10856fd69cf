import Foundation
import Logging
import Synchronization

/// ICMP echo over one socket per address family, served by one dedicated thread.
///
/// Sends are paced, replies matched by identifier, sequence and source address; a sweep of
/// thousands of targets costs one continuation per call, not one per packet. Blocking work (the
/// socket loop, getaddrinfo) stays off Swift concurrency's cooperative threads.
public final class ICMPPinger: Sendable {
    /// Raw sockets, or unprivileged datagram sockets when CAP_NET_RAW is missing.
    public let mode: ICMPSocketMode
    private let submissions: PingSubmissionQueue
    private let resolver: HostResolver
    private let hasV4: Bool
    private let hasV6: Bool
    private let nextCallID = Atomic<UInt64>(0)

    /// Distinct identifiers for the pingers of one process, whose raw sockets all see each other's replies.
    private static let identifiers = Atomic<UInt16>(UInt16.random(in: 0 ... .max))

    /// Opens the sockets and starts the pinger's thread.
    /// - Parameters:
    ///   - resolver: turns host names into addresses; the process has one (the target policy uses it
    ///     too), so a name is looked up once for both.
    ///   - socketMode: nil tries raw sockets, then datagram ones; a mode forces it.
    /// - Throws: `ICMPSocketError.notPermitted` (its description says what to grant) when no ICMP socket may be opened.
    public init(
        logger: Logger = Logger(label: "uptimebot.icmp"),
        resolver: HostResolver = HostResolver(),
        socketMode: ICMPSocketMode? = nil
    ) throws(ICMPSocketError) {
        let sockets = try ICMPSockets.open(mode: socketMode, logger: logger)
        let submissions: PingSubmissionQueue
        do {
            submissions = try PingSubmissionQueue()
        } catch {
            sockets.close()
            throw error
        }
        mode = sockets.mode
        hasV4 = sockets.v4 >= 0
        hasV6 = sockets.v6 >= 0
        self.submissions = submissions
        self.resolver = resolver
        let identifier = Self.identifiers.wrappingAdd(1, ordering: .relaxed).newValue
        Thread {
            PingLoop(sockets: sockets, submissions: submissions, identifier: identifier, logger: logger).run()
        }.start()
    }

    deinit {
        submissions.shutdown()
    }

    /// Pings one target (address or hostname).
    public func ping(_ target: String, options: PingOptions = PingOptions()) async -> PingResult {
        let results = await ping([target], options: options)
        return results.first ?? PingResult(target: target, address: nil, sent: 0, received: 0, error: .shutdown)
    }

    /// Pings every target concurrently, paced by `options.packetsPerSecond`; results in the same order.
    /// Returns when every target has its answer: all probes replied or timed out.
    /// - Parameter admission: asked with each target's index in `targets` and the address it resolved
    ///   to (the one that would be probed) before any packet is sent; a returned reason refuses that
    ///   target (`PingError.refused`, nothing sent to it).
    public func ping(
        _ targets: [String], options: PingOptions = PingOptions(),
        admission: (@Sendable (_ index: Int, _ address: String) -> String?)? = nil
    ) async -> [PingResult] {
        guard !targets.isEmpty else { return [] }
        var resolved = await resolver.resolve(targets, v4: hasV4, v6: hasV6)
        if let admission {
            for index in resolved.indices where resolved[index].error == nil {
                guard let address = resolved[index].address else { continue }
                if let reason = admission(index, address.description) {
                    resolved[index].error = .refused(host: resolved[index].name, reason: reason)
                }
            }
        }
        let id = nextCallID.wrappingAdd(1, ordering: .relaxed).newValue
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                submissions.submit(
                    PingSubmission(id: id, targets: resolved, options: options, continuation: continuation))
            }
        } onCancel: {
            submissions.cancel(id)
        }
    }

    /// Stops the pinger without waiting: unfinished pings return with `PingError.shutdown`, and the
    /// thread closes the sockets as it ends. Later pings return `.shutdown` at once.
    public func shutdown() {
        submissions.shutdown()
    }

    /// Whether `target` is an IPv4 or IPv6 address, needing no lookup: callers ping those in a
    /// batch of their own, so they never wait for names.
    public static func isAddressLiteral(_ target: String) -> Bool { IPAddress(numeric: target) != nil }

    /// getaddrinfo calls made so far (the host cache's misses).
    var hostLookups: Int { resolver.lookups.load(ordering: .relaxed) }
}
