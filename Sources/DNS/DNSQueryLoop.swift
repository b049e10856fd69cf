import CAres
import Foundation
import Synchronization

/// DNS queries over c-ares on one thread of their own: its channels' sockets are watched with
/// poll(2) and handed to `ares_process_fd`, so no query ever blocks a Swift concurrency thread and
/// thousands wait on a handful of sockets. Each query ends by its own deadline at the latest.
///
/// Thread confinement: `channels` and `active` are touched by the loop thread only (c-ares
/// channels are not thread-safe); other threads hand queries over through `handoff` and wake the
/// loop through an eventfd. Hence `@unchecked`.
public final class DNSQueryLoop: @unchecked Sendable {
    private struct Handoff {
        var submitted: [DNSQuery] = []
        var stopped = false
    }

    /// The process's loop, started on first use and never stopped (as `HostResolver`'s pool).
    public static let shared: Result<DNSQueryLoop, DNSLoopError> = Result { () throws(DNSLoopError) in
        try DNSQueryLoop()
    }

    /// Channels kept for reuse (one per server and timeout); idle ones beyond this are closed.
    private let maxChannels: Int
    private let handoff = Mutex(Handoff())
    private let wakeDescriptor: Int32

    // Loop-thread state.
    private var channels: [String: DNSChannel] = [:]
    private var active: [DNSQuery] = []

    public init(maxChannels: Int = 64) throws(DNSLoopError) {
        let initialised = DNSLibrary.initResult
        guard initialised == ARES_SUCCESS else {
            throw DNSLoopError(description: "ares_library_init: \(String(cString: ares_strerror(initialised)))")
        }
        let descriptor = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard descriptor >= 0 else { throw DNSLoopError(description: "eventfd failed (errno \(errno))") }
        self.wakeDescriptor = descriptor
        self.maxChannels = max(1, maxChannels)
        let thread = Thread { [self] in run() }
        thread.name = "uptimebot-dns"
        thread.start()
    }

    /// Asks `server` ("address:port", nil for the system resolver) for `name`'s records of `type`;
    /// the answer comes by `timeout` at the latest.
    public func query(_ name: String, type: Int32, server: String?, timeout: Duration) async -> DNSAnswer {
        let query = DNSQuery(name: name, type: type, server: server, timeout: timeout)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                query.wait(continuation)
                submit(query)
            }
        } onCancel: {
            query.finish(.cancelled)
        }
    }

    /// Stops the thread; queries in flight end as cancelled.
    public func shutdown() {
        handoff.withLock { $0.stopped = true }
        wake()
    }

    private func submit(_ query: DNSQuery) {
        let accepted = handoff.withLock { handoff in
            guard !handoff.stopped else { return false }
            handoff.submitted.append(query)
            return true
        }
        guard accepted else {
            query.finish(.cancelled)
            return
        }
        wake()
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeDescriptor, &one, 8)
    }

    // MARK: The loop thread

    private func run() {
        while true {
            let (submitted, stopped) = handoff.withLock { handoff in
                defer { handoff.submitted = [] }
                return (handoff.submitted, handoff.stopped)
            }
            var drained: UInt64 = 0
            _ = read(wakeDescriptor, &drained, 8)
            if stopped {
                for channel in channels.values { channel.destroy() }
                channels = [:]
                for query in active + submitted { query.finish(.cancelled) }
                close(wakeDescriptor)
                return
            }
            for query in submitted { start(query) }
            let now = ContinuousClock.now
            for query in active where query.deadline <= now { query.finish(.timeout) }
            active.removeAll { $0.isFinished }
            waitAndProcess(until: active.lazy.map(\.deadline).min())
            closeIdleChannels()
        }
    }

    private func start(_ query: DNSQuery) {
        guard !query.isFinished else { return }
        let key = "\(query.server ?? "")|\(query.timeoutMilliseconds)"
        let channel: DNSChannel
        if let existing = channels[key] {
            channel = existing
        } else {
            do {
                channel = try DNSChannel(key: key, server: query.server, timeoutMilliseconds: query.timeoutMilliseconds)
            } catch {
                query.finish(.failed(error.description))
                return
            }
            channels[key] = channel
        }
        guard let handle = channel.handle else {
            query.finish(.failed("DNS channel closed"))
            return
        }
        channel.pending += 1
        channel.lastUsed = .now
        active.append(query)
        let context = Unmanaged.passRetained(QueryContext(query: query, channel: channel)).toOpaque()
        ares_query(handle, query.name, Int32(ns_c_in.rawValue), query.type, DNSQueryLoop.answered, context)
    }

    /// c-ares' callback for one query (on the loop thread, inside an ares_* call).
    private static let answered: ares_callback = { argument, status, _, reply, length in
        guard let argument else { return }
        let context = Unmanaged<QueryContext>.fromOpaque(argument).takeRetainedValue()
        context.channel.pending -= 1
        if let reply, let rcode = DNSRecords.responseCode(reply, length: Int(length)) {
            let records = rcode == 0 ? DNSRecords.parse(reply, length: length, type: context.query.type) : []
            context.query.finish(.answered(rcode: rcode, records: records))
            return
        }
        switch status {
        case ARES_ETIMEOUT: context.query.finish(.timeout)
        case ARES_ECONNREFUSED: context.query.finish(.refused)
        case ARES_EDESTRUCTION, ARES_ECANCELLED: context.query.finish(.cancelled)
        default: context.query.finish(.failed(String(cString: ares_strerror(status))))
        }
    }

    /// One poll over the wake-up descriptor and every channel's sockets, then c-ares reads, writes
    /// and times out what is due.
    private func waitAndProcess(until deadline: ContinuousClock.Instant?) {
        var descriptors = [pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0)]
        var owners: [DNSChannel?] = [nil]
        var waitMilliseconds = 1000
        for channel in channels.values {
            guard let handle = channel.handle else { continue }
            for (socket, interest) in channel.sockets {
                let events = (interest.read ? Int16(POLLIN) : 0) | (interest.write ? Int16(POLLOUT) : 0)
                descriptors.append(pollfd(fd: socket, events: events, revents: 0))
                owners.append(channel)
            }
            var maximum = timeval(tv_sec: 1, tv_usec: 0)
            var next = timeval()
            if channel.pending > 0, let due = ares_timeout(handle, &maximum, &next) {
                waitMilliseconds = min(
                    waitMilliseconds, Int(due.pointee.tv_sec) * 1000 + Int(due.pointee.tv_usec) / 1000)
            }
        }
        if let deadline {
            let left = ContinuousClock.now.duration(to: deadline)
            let milliseconds = left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000
            waitMilliseconds = min(waitMilliseconds, Int(max(0, milliseconds)) + 1)
        }
        _ = poll(&descriptors, nfds_t(descriptors.count), Int32(max(0, waitMilliseconds)))
        for (index, descriptor) in descriptors.enumerated() where descriptor.revents != 0 {
            guard let channel = owners[index], let handle = channel.handle else { continue }
            let readable = descriptor.revents & Int16(POLLIN | POLLERR | POLLHUP) != 0
            let writable = descriptor.revents & Int16(POLLOUT) != 0
            ares_process_fd(
                handle, readable ? descriptor.fd : ARES_SOCKET_BAD, writable ? descriptor.fd : ARES_SOCKET_BAD)
        }
        // Timeouts: c-ares ends overdue queries when called with no socket.
        for channel in channels.values where channel.pending > 0 {
            if let handle = channel.handle { ares_process_fd(handle, ARES_SOCKET_BAD, ARES_SOCKET_BAD) }
        }
    }

    private func closeIdleChannels() {
        guard channels.count > maxChannels else { return }
        let idle = channels.values.filter { $0.pending == 0 }.sorted { $0.lastUsed < $1.lastUsed }
        for channel in idle.prefix(channels.count - maxChannels) {
            channel.destroy()
            channels[channel.key] = nil
        }
    }
}

/// What c-ares hands back to `DNSQueryLoop.answered`: the query and the channel it went out on.
private final class QueryContext {
    let query: DNSQuery
    let channel: DNSChannel

    init(query: DNSQuery, channel: DNSChannel) {
        self.query = query
        self.channel = channel
    }
}

/// `ares_library_init` exactly once per process.
enum DNSLibrary {
    static let initResult: Int32 = ares_library_init(ARES_LIB_INIT_ALL)
}
