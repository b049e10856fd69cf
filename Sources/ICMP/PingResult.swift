/// What one target answered during one `ping` call.
public struct PingResult: Sendable, Equatable {
    /// The target as the caller wrote it (address or hostname).
    public var target: String
    /// The address probed, in numeric form; nil when the name did not resolve.
    public var address: String?
    /// Echo requests sent (a request the kernel refused to send counts as sent and lost).
    public var sent: Int
    /// Echo replies received in time.
    public var received: Int
    public var rttMin: Duration?
    public var rttAvg: Duration?
    public var rttMax: Duration?
    /// Why the target could not be probed fully (resolve failure, send error, cancellation).
    public var error: PingError?

    public init(
        target: String, address: String?, sent: Int, received: Int,
        rttMin: Duration? = nil, rttAvg: Duration? = nil, rttMax: Duration? = nil, error: PingError? = nil
    ) {
        self.target = target
        self.address = address
        self.sent = sent
        self.received = received
        self.rttMin = rttMin
        self.rttAvg = rttAvg
        self.rttMax = rttMax
        self.error = error
    }

    /// Fraction of requests lost, 0...1; 1 when nothing could be sent.
    public var loss: Double { sent > 0 ? Double(sent - received) / Double(sent) : 1 }

    /// At least one reply came back.
    public var isReachable: Bool { received > 0 }
}
