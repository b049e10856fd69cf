import Logging
import Synchronization

/// Async HTTP over libcurl's multi interface. One dedicated thread drives every transfer
/// (never the Swift cooperative pool); callers `await` their response.
///
/// At most `maxConcurrent` transfers run at once; more wait in a queue, so their timeouts start
/// only when they do. Connections are kept and reused between requests to the same origin.
/// Cancelling the calling task aborts its transfer and throws `CurlError` of kind `.cancelled`.
public final class CurlHTTPClient: Sendable {
    private let loop: CurlEventLoop
    private let nextID = Atomic<UInt64>(1)
    public let maxConcurrent: Int

    /// - Parameters:
    ///   - maxConcurrent: transfers in flight at once, also the size of the connection cache.
    ///   - userAgent: sent unless a request sets its own `User-Agent` header.
    public init(maxConcurrent: Int = 200, userAgent: String = "UptimeBot/1.0", logger: Logger) throws(CurlError) {
        self.maxConcurrent = max(1, maxConcurrent)
        loop = try CurlEventLoop(maxConcurrent: self.maxConcurrent, userAgent: userAgent, logger: logger)
    }

    deinit {
        loop.shutdown()
    }

    public func execute(_ request: HTTPRequest) async throws(CurlError) -> HTTPResponse {
        let pending = PendingRequest(id: nextID.wrappingAdd(1, ordering: .relaxed).oldValue, request: request)
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if pending.attach(continuation) {
                    loop.submit(pending)
                }
            }
        } onCancel: {
            if pending.cancelIfNotSubmitted() == false {
                loop.cancel(id: pending.id)
            }
        }
        return try result.get()
    }

    /// Fails queued and running requests with `.shutdown` and stops the thread; later requests fail at once.
    /// Called by `deinit` too; calling it twice is harmless.
    public func shutdown() {
        loop.shutdown()
    }
}

/// A request between `execute` and its answer. It crosses threads (caller, cancellation handler,
/// loop thread), so its state lives behind a lock; the continuation is resumed exactly once, outside it.
final class PendingRequest: Sendable {
    typealias Continuation = CheckedContinuation<Result<HTTPResponse, CurlError>, Never>

    private enum State {
        case created
        case cancelledBeforeSubmit
        case waiting(Continuation)
        case finished
    }

    let id: UInt64
    let request: HTTPRequest
    private let state = Mutex<State>(.created)

    init(id: UInt64, request: HTTPRequest) {
        self.id = id
        self.request = request
    }

    /// Stores the continuation; false (and already resumed) when the task was cancelled first.
    func attach(_ continuation: Continuation) -> Bool {
        let cancelled = state.withLock { state -> Bool in
            if case .cancelledBeforeSubmit = state {
                state = .finished
                return true
            }
            state = .waiting(continuation)
            return false
        }
        if cancelled {
            continuation.resume(returning: .failure(cancellationError))
        }
        return !cancelled
    }

    /// True when cancellation won the race with `attach`; false means the loop must abort the transfer.
    func cancelIfNotSubmitted() -> Bool {
        state.withLock { state in
            switch state {
            case .created:
                state = .cancelledBeforeSubmit
                return true
            case .cancelledBeforeSubmit, .finished:
                return true
            case .waiting:
                return false
            }
        }
    }

    func complete(_ result: Result<HTTPResponse, CurlError>) {
        let continuation = state.withLock { state -> Continuation? in
            guard case .waiting(let continuation) = state else { return nil }
            state = .finished
            return continuation
        }
        continuation?.resume(returning: result)
    }

    var cancellationError: CurlError {
        CurlError(code: 0, kind: .cancelled, message: "the request's task was cancelled", url: request.url)
    }

    var shutdownError: CurlError {
        CurlError(code: 0, kind: .shutdown, message: "the HTTP client was shut down", url: request.url)
    }
}
