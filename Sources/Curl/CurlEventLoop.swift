import CCurl
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `curl_global_init` exactly once per process (Swift runs a static `let` initialiser once, thread-safely).
enum CurlGlobal {
    static let initResult: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))
}

/// The thread that owns the multi handle and runs every transfer.
///
/// Thread confinement: `multi`, `queue`, `active` and `idleHandles` are touched only by the loop
/// thread (in `run()` and what it calls). Other threads talk to it through `handoff` alone, under
/// its lock, then `curl_multi_wakeup` (libcurl's one thread-safe multi call). Hence `@unchecked`.
final class CurlEventLoop: @unchecked Sendable {
    private struct Handoff {
        var submitted: [PendingRequest] = []
        var cancelled: [UInt64] = []
        var stopRequested = false
        /// Set by the loop thread, under the lock, just before it frees `multi`: after this no one
        /// may call `curl_multi_wakeup`.
        var loopExited = false
        var joinClaimed = false
    }

    private let handoff = Mutex(Handoff())
    private let multi: UnsafeMutableRawPointer
    private let maxConcurrent: Int
    private let userAgent: String
    private let logger: Logger
    private var thread: pthread_t

    // Loop-thread state.
    private var queue = RequestQueue()
    private var active: [UInt64: CurlTransfer] = [:]
    /// Easy handles kept for the next transfer (`curl_easy_reset` keeps their buffers and DNS/TLS caches).
    private var idleHandles: [UnsafeMutableRawPointer] = []

    init(maxConcurrent: Int, userAgent: String, logger: Logger) throws(CurlError) {
        let initCode = CurlGlobal.initResult
        guard initCode == CURLE_OK else {
            throw CurlError(code: Int(initCode.rawValue), kind: .other, message: "curl_global_init failed", url: "")
        }
        guard let multi = curl_multi_init() else {
            throw CurlError(code: 0, kind: .other, message: "curl_multi_init failed", url: "")
        }
        self.multi = multi
        self.maxConcurrent = maxConcurrent
        self.userAgent = userAgent
        self.logger = logger
        self.thread = pthread_t()
        // Our own queue keeps the number in flight at maxConcurrent; these are libcurl's backstops
        // (connections in total, and how many idle ones it keeps for reuse).
        _ = uptimebot_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, maxConcurrent)
        _ = uptimebot_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxConcurrent)

        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(
            &thread, nil,
            { context in
                guard let context else { return nil }
                let loop = Unmanaged<CurlEventLoop>.fromOpaque(context).takeRetainedValue()
                loop.run()
                return nil
            }, context)
        guard rc == 0 else {
            Unmanaged<CurlEventLoop>.fromOpaque(context).release()
            curl_multi_cleanup(multi)
            throw CurlError(code: 0, kind: .other, message: "could not start the curl thread (errno \(rc))", url: "")
        }
        self.thread = thread
    }

    func submit(_ request: PendingRequest) {
        let accepted = handoff.withLock { handoff -> Bool in
            guard !handoff.stopRequested, !handoff.loopExited else { return false }
            handoff.submitted.append(request)
            curl_multi_wakeup(multi)
            return true
        }
        if !accepted {
            request.complete(.failure(request.shutdownError))
        }
    }

    func cancel(id: UInt64) {
        handoff.withLock { handoff in
            guard !handoff.loopExited else { return }
            handoff.cancelled.append(id)
            curl_multi_wakeup(multi)
        }
    }

    func shutdown() {
        let mustJoin = handoff.withLock { handoff -> Bool in
            if !handoff.loopExited && !handoff.stopRequested {
                handoff.stopRequested = true
                curl_multi_wakeup(multi)
            }
            // Only one caller joins, and never the loop thread itself (a response handler calling shutdown).
            guard !handoff.joinClaimed, pthread_equal(pthread_self(), thread) == 0 else { return false }
            handoff.joinClaimed = true
            return true
        }
        if mustJoin {
            pthread_join(thread, nil)
        }
    }

    // MARK: - Loop thread

    private func run() {
        setThreadName()
        var running: Int32 = 0
        while true {
            let (submitted, cancelled, stop) = handoff.withLock { handoff in
                defer {
                    handoff.submitted.removeAll(keepingCapacity: true)
                    handoff.cancelled.removeAll(keepingCapacity: true)
                }
                return (handoff.submitted, handoff.cancelled, handoff.stopRequested)
            }
            for request in submitted { queue.append(request) }
            for id in cancelled { abort(id: id) }
            if stop { break }

            startQueued()
            curl_multi_perform(multi, &running)
            collectFinished()
            if !queue.isEmpty && active.count < maxConcurrent {
                continue  // slots freed: start the next ones before sleeping
            }
            // Returns on socket activity, libcurl's next timeout, or curl_multi_wakeup.
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        tearDown()
    }

    private func startQueued() {
        while active.count < maxConcurrent, let request = queue.popFirst() {
            guard let easy = idleHandles.popLast() ?? curl_easy_init() else {
                request.complete(
                    .failure(
                        CurlError(code: 0, kind: .other, message: "curl_easy_init failed", url: request.request.url)))
                continue
            }
            let transfer = CurlTransfer(request: request, easy: easy)
            if let error = transfer.configure(userAgent: userAgent) {
                recycle(transfer)
                request.complete(.failure(error))
                continue
            }
            let code = curl_multi_add_handle(multi, easy)
            guard code == CURLM_OK else {
                recycle(transfer)
                let message = String(cString: curl_multi_strerror(code))
                request.complete(.failure(CurlError(code: 0, kind: .other, message: message, url: request.request.url)))
                continue
            }
            active[request.id] = transfer
        }
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = uptimebot_msg_result(message)
            guard let transfer = CurlTransfer.from(easy: easy) else { continue }
            curl_multi_remove_handle(multi, easy)
            active[transfer.pending.id] = nil
            let result = transfer.finish(code: code)
            recycle(transfer)
            if case .failure(let error) = result {
                logger.debug("HTTP request failed", metadata: ["url": "\(error.url)", "error": "\(error.message)"])
            }
            transfer.pending.complete(result)
        }
    }

    private func abort(id: UInt64) {
        if let transfer = active.removeValue(forKey: id) {
            curl_multi_remove_handle(multi, transfer.easy)
            recycle(transfer)
            transfer.pending.complete(.failure(transfer.pending.cancellationError))
        } else if let request = queue.remove(id: id) {
            request.complete(.failure(request.cancellationError))
        }
        // Otherwise it already finished: nothing to do.
    }

    private func recycle(_ transfer: CurlTransfer) {
        transfer.releaseResources()
        if idleHandles.count < maxConcurrent {
            curl_easy_reset(transfer.easy)
            idleHandles.append(transfer.easy)
        } else {
            curl_easy_cleanup(transfer.easy)
        }
    }

    private func tearDown() {
        for (_, transfer) in active {
            curl_multi_remove_handle(multi, transfer.easy)
            recycle(transfer)
            transfer.pending.complete(.failure(transfer.pending.shutdownError))
        }
        active.removeAll()
        while let request = queue.popFirst() {
            request.complete(.failure(request.shutdownError))
        }
        let late = handoff.withLock { handoff in
            handoff.loopExited = true
            return handoff.submitted
        }
        for request in late {
            request.complete(.failure(request.shutdownError))
        }
        for easy in idleHandles { curl_easy_cleanup(easy) }
        idleHandles.removeAll()
        curl_multi_cleanup(multi)
    }

    private func setThreadName() {
        uptimebot_set_thread_name("curl-loop")
    }
}

/// FIFO of requests waiting for a free slot (loop thread only).
struct RequestQueue {
    private var items: [PendingRequest] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }

    mutating func append(_ request: PendingRequest) { items.append(request) }

    mutating func popFirst() -> PendingRequest? {
        guard head < items.count else { return nil }
        let request = items[head]
        head += 1
        if head > 64 && head * 2 > items.count {  // drop consumed slots now and then, not on every pop
            items.removeFirst(head)
            head = 0
        }
        return request
    }

    mutating func remove(id: UInt64) -> PendingRequest? {
        guard let index = items[head...].firstIndex(where: { $0.id == id }) else { return nil }
        return items.remove(at: index)
    }
}
