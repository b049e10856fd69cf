/// How one `ping` call probes its targets.
public struct PingOptions: Sendable, Equatable {
    /// Echo requests sent to each target.
    public var probes: Int
    /// Time between two probes to the same target.
    public var interval: Duration
    /// How long each probe waits for its reply before it counts as lost.
    /// A target's result is ready at most `(probes - 1) * interval + timeout` after its first probe.
    public var timeout: Duration
    /// Upper bound on echo requests per second, across every target of the call; 0 sends unpaced.
    public var packetsPerSecond: Int
    /// Bytes of (zero) payload after the 8-byte ICMP header; 56 as ping(8) and fping send.
    public var payloadSize: Int

    public init(
        probes: Int = 3,
        interval: Duration = .seconds(1),
        timeout: Duration = .seconds(2),
        packetsPerSecond: Int = 1000,
        payloadSize: Int = 56
    ) {
        self.probes = probes
        self.interval = interval
        self.timeout = timeout
        self.packetsPerSecond = packetsPerSecond
        self.payloadSize = payloadSize
    }

    /// The largest payload accepted; an IPv4 datagram cannot carry more (65535 - 20 - 8).
    public static let maximumPayloadSize = 65_507
}

extension PingOptions {
    /// The options in the loop thread's units, clamped to what can be sent.
    struct Normalized {
        let probes: Int32
        let intervalNanoseconds: Int64
        let timeoutNanoseconds: Int64
        /// Minimum gap between two sends; 0 when unpaced.
        let sendGapNanoseconds: Int64
        let payloadSize: Int

        init(_ options: PingOptions) {
            probes = Int32(clamping: max(1, options.probes))
            intervalNanoseconds = max(0, options.interval.nanoseconds)
            timeoutNanoseconds = max(1_000_000, options.timeout.nanoseconds)
            sendGapNanoseconds = options.packetsPerSecond > 0 ? 1_000_000_000 / Int64(options.packetsPerSecond) : 0
            payloadSize = min(max(0, options.payloadSize), PingOptions.maximumPayloadSize)
        }
    }
}

extension Duration {
    /// Whole nanoseconds, saturating instead of trapping for absurd durations.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (fromSeconds, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (total, overflow2) = fromSeconds.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflow2 ? (seconds < 0 ? .min : .max) : total
    }
}
