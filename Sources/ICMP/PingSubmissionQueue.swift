import CICMP
import Glibc
import Synchronization

/// A target after name resolution: the address to probe, or why there is none.
struct ResolvedTarget: Sendable {
    var name: String
    var address: IPAddress?
    var error: PingError?
}

/// One `ping` call handed to the loop thread.
struct PingSubmission: Sendable {
    let id: UInt64
    let targets: [ResolvedTarget]
    let options: PingOptions
    let continuation: CheckedContinuation<[PingResult], Never>

    /// Results for a submission that never ran: each target keeps its own error, or gets `reason`.
    func resume(interruptedBy reason: PingError) {
        continuation.resume(
            returning: targets.map {
                PingResult(
                    target: $0.name, address: $0.address?.description, sent: 0, received: 0, error: $0.error ?? reason)
            })
    }
}

/// The only door into the loop thread: callers queue work here and poke the loop's eventfd.
final class PingSubmissionQueue: Sendable {
    struct Work {
        var submissions: [PingSubmission] = []
        var cancellations: [UInt64] = []
        var shutdown = false
    }

    private struct State {
        var work = Work()
        /// Submitted and not yet finished, so a cancellation knows whether the loop must hear of it.
        var active: Set<UInt64> = []
        /// Cancelled before their submission arrived (the task was cancelled while resolving).
        var cancelledEarly: Set<UInt64> = []
        var isShutDown = false
        /// Set by the loop just before it closes `wakeDescriptor`; nobody writes to it after that.
        var loopExited = false
    }

    private let state = Mutex(State())
    /// An eventfd owned by the loop thread; written under the lock so it is never written after close.
    let wakeDescriptor: Int32

    init() throws(ICMPSocketError) {
        wakeDescriptor = cicmp_eventfd()
        guard wakeDescriptor >= 0 else { throw .systemCallFailed(operation: "eventfd", errno: errno) }
    }

    /// Queues a submission; resumes it at once when the pinger is shut down or the call was cancelled.
    func submit(_ submission: PingSubmission) {
        let rejection: PingError? = state.withLock { state in
            if state.isShutDown { return .shutdown }
            if state.cancelledEarly.remove(submission.id) != nil { return .cancelled }
            state.active.insert(submission.id)
            state.work.submissions.append(submission)
            Self.wake(wakeDescriptor, state)
            return nil
        }
        if let rejection { submission.resume(interruptedBy: rejection) }
    }

    func cancel(_ id: UInt64) {
        state.withLock { state in
            if state.active.contains(id) {
                state.work.cancellations.append(id)
                Self.wake(wakeDescriptor, state)
            } else if !state.isShutDown {
                state.cancelledEarly.insert(id)
            }
        }
    }

    func shutdown() {
        state.withLock { state in
            guard !state.isShutDown else { return }
            state.isShutDown = true
            state.work.shutdown = true
            Self.wake(wakeDescriptor, state)
        }
    }

    /// Called by the loop: everything queued since the last call.
    func take() -> Work {
        var buffer: UInt64 = 0
        _ = read(wakeDescriptor, &buffer, 8)
        return state.withLock { state in
            defer { state.work = Work() }
            return state.work
        }
    }

    /// Called by the loop when a submission's continuation has been resumed.
    func finished(_ id: UInt64) {
        _ = state.withLock { $0.active.remove(id) }
    }

    /// Called by the loop as it exits; it closes `wakeDescriptor` right after.
    func loopExiting() {
        state.withLock { $0.loopExited = true }
    }

    private static func wake(_ descriptor: Int32, _ state: State) {
        guard !state.loopExited else { return }
        var one: UInt64 = 1
        _ = write(descriptor, &one, 8)
    }
}
