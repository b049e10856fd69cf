import Foundation
import Synchronization

/// Keeps recently read users in memory for a short time: every update needs its sender's record,
/// and users change rarely. Writes through this instance update the cache at once; edits made
/// elsewhere (mongosh) are seen after `ttl`.
public final class CachingUserRepository: UserRepository {
    private struct Entry {
        var user: UserRecord?
        var loadedAt: ContinuousClock.Instant
    }

    private let base: any UserRepository
    private let ttl: Duration
    private let maxEntries: Int
    private let cache = Mutex<[Int64: Entry]>([:])

    public init(base: any UserRepository, ttl: Duration = .seconds(10), maxEntries: Int = 50_000) {
        self.base = base
        self.ttl = ttl
        self.maxEntries = maxEntries
    }

    public func get(_ id: Int64) async throws -> UserRecord? {
        let now = ContinuousClock.now
        if let entry = cache.withLock({ $0[id] }), entry.loadedAt.duration(to: now) < ttl { return entry.user }
        let user = try await base.get(id)
        cache.withLock { cache in
            if cache.count >= maxEntries { cache.removeAll(keepingCapacity: true) }
            cache[id] = Entry(user: user, loadedAt: now)
        }
        return user
    }

    /// Passed through in one query (the monitor's reload asks for every owner at once), refreshing the cache.
    public func list(ids: [Int64]) async throws -> [UserRecord] {
        let users = try await base.list(ids: ids)
        let now = ContinuousClock.now
        cache.withLock { cache in
            if cache.count + users.count > maxEntries { cache.removeAll(keepingCapacity: true) }
            for user in users { cache[user.id] = Entry(user: user, loadedAt: now) }
        }
        return users
    }

    private func forget(_ id: Int64) { _ = cache.withLock { $0.removeValue(forKey: id) } }

    public func upsert(_ user: UserRecord) async throws {
        forget(user.id)
        try await base.upsert(user)
        forget(user.id)
    }

    public func updateSettings(_ id: Int64, _ settings: UserSettings) async throws {
        try await base.updateSettings(id, settings)
        forget(id)
    }

    public func setLanguage(_ id: Int64, _ language: String) async throws {
        try await base.setLanguage(id, language)
        forget(id)
    }

    public func setUnreachable(_ id: Int64, _ unreachable: Bool) async throws {
        try await base.setUnreachable(id, unreachable)
        forget(id)
    }

    public func count() async throws -> Int { try await base.count() }

    // Access changes must be seen by the very next update: the entry is dropped, never kept stale.
    public func setAccess(_ id: Int64, _ change: AccessChange) async throws -> UserRecord? {
        forget(id)
        defer { forget(id) }
        return try await base.setAccess(id, change)
    }

    public func claimFirstAdmin(_ user: UserRecord) async throws -> Bool {
        forget(user.id)
        defer { forget(user.id) }
        return try await base.claimFirstAdmin(user)
    }

    public func admins() async throws -> [UserRecord] { try await base.admins() }

    public func page(skip: Int, limit: Int) async throws -> [UserRecord] {
        try await base.page(skip: skip, limit: limit)
    }

    public func touch(_ id: Int64, at: Date) async throws {
        try await base.touch(id, at: at)
        forget(id)
    }
}
