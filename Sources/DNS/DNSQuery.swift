import Synchronization

/// One query on its way through the loop: what to ask, by when, and the caller waiting for the answer.
/// It is answered once: by c-ares, by its deadline or by cancellation, whichever comes first.
final class DNSQuery: Sendable {
    let name: String
    let type: Int32
    /// "address:port" for `ares_set_servers_ports_csv`; nil for the system resolver.
    let server: String?
    let timeoutMilliseconds: Int32
    let deadline: ContinuousClock.Instant

    private enum State {
        case waiting(CheckedContinuation<DNSAnswer, Never>?)
        case done(DNSAnswer)
    }
    private let state = Mutex<State>(.waiting(nil))

    init(name: String, type: Int32, server: String?, timeout: Duration) {
        self.name = name
        self.type = type
        self.server = server
        let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        self.timeoutMilliseconds = Int32(clamping: max(1, milliseconds))
        self.deadline = ContinuousClock.now + timeout
    }

    var isFinished: Bool {
        state.withLock { if case .done = $0 { true } else { false } }
    }

    /// Called once by the waiting caller; an answer that came first is given at once.
    func wait(_ continuation: CheckedContinuation<DNSAnswer, Never>) {
        let early: DNSAnswer? = state.withLock { state in
            switch state {
            case .done(let answer): return answer
            case .waiting:
                state = .waiting(continuation)
                return nil
            }
        }
        if let early { continuation.resume(returning: early) }
    }

    /// The first answer wins; later ones (c-ares after the deadline) are dropped.
    func finish(_ answer: DNSAnswer) {
        let waiting: CheckedContinuation<DNSAnswer, Never>?? = state.withLock { state in
            guard case .waiting(let continuation) = state else { return nil }
            state = .done(answer)
            return .some(continuation)
        }
        if case .some(let continuation?) = waiting { continuation.resume(returning: answer) }
    }
}
