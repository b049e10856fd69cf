import CICMP
import Dispatch
import Foundation
import Synchronization

/// A few dedicated threads for blocking C calls (getaddrinfo), so they never hold one of Swift
/// concurrency's cooperative threads. Threads start on demand and end after a while idle.
final class BlockingThreadPool: Sendable {
    private struct State {
        var queue: [@Sendable () -> Void] = []
        var threads = 0
        var idle = 0
    }

    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)
    private let maximumThreads: Int
    private let name: String
    private static let idleLifetime: DispatchTimeInterval = .seconds(10)

    init(name: String, maximumThreads: Int) {
        self.name = name
        self.maximumThreads = max(1, maximumThreads)
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            enqueue { continuation.resume(returning: body()) }
        }
    }

    private func enqueue(_ work: @escaping @Sendable () -> Void) {
        let startThread = state.withLock { state in
            state.queue.append(work)
            guard state.idle == 0, state.threads < maximumThreads else { return false }
            state.threads += 1
            return true
        }
        if startThread {
            Thread { [self] in
                _ = cicmp_set_thread_name(name)
                workerLoop()
            }.start()
        }
        available.signal()
    }

    private func workerLoop() {
        while true {
            state.withLock { $0.idle += 1 }
            let signalled = available.wait(timeout: .now() + Self.idleLifetime) == .success
            let work: (@Sendable () -> Void)? = state.withLock { state in
                state.idle -= 1
                if !state.queue.isEmpty { return state.queue.removeFirst() }
                if !signalled { state.threads -= 1 }
                return nil
            }
            if let work {
                work()
            } else if !signalled {
                return
            }
        }
    }
}
