import Glibc
import NIOPosix
import Synchronization

/// Turns targets into addresses: numeric ones at once, hostnames with getaddrinfo on a blocking-call
/// pool, cached for `ttl` so a sweep every minute does not query DNS for every host each time.
///
/// One owner's names under a dead nameserver must not hold everyone's pings: a failed lookup is
/// cached too (for `negativeTTL`), each lookup is given up after `deadline` (getaddrinfo cannot
/// be cancelled; its thread finishes in the background), and at most `maxPending` lookups wait
/// for the pool at once, beyond which a name fails at once ("resolver busy") and is tried again
/// at its next check.
/// One for the process, made by the composition root: the pinger, the HTTP checks' policy and the
/// target vetting share it, so a name is looked up once for all of them.
public final class HostResolver: Sendable {
    private struct Entry {
        var result: Result<[IPAddress], PingError>
        var expires: ContinuousClock.Instant
    }

    private let ttl: Duration
    private let negativeTTL: Duration
    private let deadline: Duration
    private let maxPending: Int
    private let cache = Mutex<[String: Entry]>([:])
    /// getaddrinfo blocks, so it runs on threads of its own — the same kind of pool as Mongo's blocking
    /// calls — never on Swift concurrency's cooperative threads. One for the process, started on first
    /// use and never shut down (a static is never deinitialised, as a running NIOThreadPool must not be).
    private static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 8)
        pool.start()
        return pool
    }()
    /// getaddrinfo calls made; tests read it to see the cache work.
    let lookups = Atomic<Int>(0)
    /// Lookups started and not finished (running or waiting for a pool thread).
    private let pending = Atomic<Int>(0)

    public init(
        ttl: Duration = .seconds(60), negativeTTL: Duration = .seconds(30), deadline: Duration = .seconds(5),
        maxPending: Int = 256
    ) {
        self.ttl = ttl
        self.negativeTTL = min(ttl, negativeTTL)
        self.deadline = deadline
        self.maxPending = max(1, maxPending)
    }

    /// Every address `name` resolves to, in numeric form (getaddrinfo's order; a numeric name is itself).
    public func addresses(of name: String) async -> Result<[String], PingError> {
        if let address = IPAddress(numeric: name) { return .success([address.description]) }
        let now = ContinuousClock.now
        if let entry = cache.withLock({ $0[name] }), entry.expires > now {
            return entry.result.map { $0.map(\.description) }
        }
        let looked = await lookUp(name)
        remember([name: looked], now: now)
        return looked.map { $0.map(\.description) }
    }

    /// One entry per name, in order. `v4`/`v6` say which families can be pinged, to pick an address.
    func resolve(_ names: [String], v4: Bool, v6: Bool) async -> [ResolvedTarget] {
        var results: [ResolvedTarget] = []
        results.reserveCapacity(names.count)
        var missing: [String: [Int]] = [:]
        let now = ContinuousClock.now
        cache.withLock { cache in
            for (index, name) in names.enumerated() {
                if let address = IPAddress(numeric: name) {
                    results.append(ResolvedTarget(name: name, address: address))
                } else if let entry = cache[name], entry.expires > now {
                    switch entry.result {
                    case .success(let addresses): results.append(Self.pick(addresses, for: name, v4: v4, v6: v6))
                    case .failure(let error): results.append(ResolvedTarget(name: name, error: error))
                    }
                } else {
                    results.append(ResolvedTarget(name: name))
                    missing[name, default: []].append(index)
                }
            }
        }
        guard !missing.isEmpty else { return results }

        let looked = await withTaskGroup(of: (String, Result<[IPAddress], PingError>).self) { group in
            for name in missing.keys {
                group.addTask { [self] in (name, await lookUp(name)) }
            }
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        remember(looked, now: now)
        for (name, indices) in missing {
            let resolved: ResolvedTarget =
                switch looked[name] {
                case .success(let addresses): Self.pick(addresses, for: name, v4: v4, v6: v6)
                case .failure(let error): ResolvedTarget(name: name, error: error)
                case nil: ResolvedTarget(name: name, error: .resolveFailed(host: name, reason: "lookup did not run"))
                }
            for index in indices { results[index] = resolved }
        }
        return results
    }

    /// Caches answers: addresses for `ttl`, failures for `negativeTTL`; a full queue is not cached.
    private func remember(_ looked: [String: Result<[IPAddress], PingError>], now: ContinuousClock.Instant) {
        let finished = ContinuousClock.now
        cache.withLock { cache in
            // Forget expired names now and then, so names no longer pinged do not pile up.
            if cache.count > 4096 { cache = cache.filter { $0.value.expires > now } }
            for (name, result) in looked {
                switch result {
                case .success: cache[name] = Entry(result: result, expires: finished + ttl)
                // A full queue says nothing about the name: not cached.
                case .failure(.resolverBusy): break
                case .failure: cache[name] = Entry(result: result, expires: finished + negativeTTL)
                }
            }
        }
    }

    /// One getaddrinfo on the pool, given up after `deadline`; fails at once when the pool's queue is full.
    private func lookUp(_ name: String) async -> Result<[IPAddress], PingError> {
        guard pending.add(1, ordering: .relaxed).newValue <= maxPending else {
            pending.subtract(1, ordering: .relaxed)
            return .failure(.resolverBusy(host: name))
        }
        lookups.add(1, ordering: .relaxed)
        let answer = FirstAnswer<Result<[IPAddress], PingError>>()
        let deadline = deadline
        return await withCheckedContinuation { continuation in
            answer.set(continuation)
            Task { [self] in
                // The pool refuses work only for a cancelled task (this one is not).
                let result = (try? await Self.pool.runIfActive { Self.getaddrinfo(name) }) ?? .failure(.cancelled)
                pending.subtract(1, ordering: .relaxed)
                answer.resume(with: result)
            }
            Task {
                try? await Task.sleep(for: deadline)
                answer.resume(with: .failure(.resolveFailed(host: name, reason: "no answer within \(deadline)")))
            }
        }
    }

    /// The first address (getaddrinfo's preference order) whose family has a socket.
    private static func pick(_ addresses: [IPAddress], for name: String, v4: Bool, v6: Bool) -> ResolvedTarget {
        if let usable = addresses.first(where: { $0.isV4 ? v4 : v6 }) {
            return ResolvedTarget(name: name, address: usable)
        }
        let family = addresses.first?.familyName ?? "IP"
        return ResolvedTarget(
            name: name, address: addresses.first, error: .addressFamilyUnavailable(host: name, family: family))
    }

    /// Blocks; runs on the pool only.
    private static func getaddrinfo(_ name: String) -> Result<[IPAddress], PingError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        // One socket type, or every address comes back once per type.
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = Glibc.getaddrinfo(name, nil, &hints, &list)
        guard status == 0 else {
            let reason = status == EAI_SYSTEM ? String(cString: strerror(errno)) : String(cString: gai_strerror(status))
            return .failure(.resolveFailed(host: name, reason: reason))
        }
        defer { freeaddrinfo(list) }
        var addresses: [IPAddress] = []
        var entry = list
        while let current = entry {
            if let sockaddr = current.pointee.ai_addr, let address = IPAddress(UnsafePointer(sockaddr)),
                !addresses.contains(address)
            {
                addresses.append(address)
            }
            entry = current.pointee.ai_next
        }
        return addresses.isEmpty
            ? .failure(.resolveFailed(host: name, reason: "no IPv4 or IPv6 address")) : .success(addresses)
    }
}

/// Resumes a continuation with whichever answer comes first (a lookup or its deadline).
private final class FirstAnswer<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T, Never>?>(nil)

    func set(_ continuation: CheckedContinuation<T, Never>) { self.continuation.withLock { $0 = continuation } }

    func resume(with value: T) {
        let first = continuation.withLock { stored -> CheckedContinuation<T, Never>? in
            defer { stored = nil }
            return stored
        }
        first?.resume(returning: value)
    }
}
