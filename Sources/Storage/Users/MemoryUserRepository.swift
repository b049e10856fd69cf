import Foundation

public actor MemoryUserRepository: UserRepository {
    private var users: [Int64: UserRecord] = [:]
    private var firstAdminClaimed = false

    public init() {}

    public func get(_ id: Int64) -> UserRecord? { users[id] }

    public func upsert(_ user: UserRecord) {
        if var existing = users[user.id] {
            existing.phone = user.phone
            existing.firstName = user.firstName
            existing.username = user.username
            existing.language = user.language
            existing.unreachable = false
            users[user.id] = existing
        } else {
            users[user.id] = user
        }
    }

    public func updateSettings(_ id: Int64, _ settings: UserSettings) { users[id]?.settings = settings }
    public func setLanguage(_ id: Int64, _ language: String) { users[id]?.language = language }
    public func setUnreachable(_ id: Int64, _ unreachable: Bool) { users[id]?.unreachable = unreachable }
    public func count() -> Int { users.count }
    public func list(ids: [Int64]) -> [UserRecord] { Set(ids).compactMap { users[$0] } }

    public func setAccess(_ id: Int64, _ change: AccessChange) -> UserRecord? {
        guard var user = users[id] else { return nil }
        change.apply(to: &user)
        users[id] = user
        return user
    }

    public func claimFirstAdmin(_ user: UserRecord) -> Bool {
        guard !firstAdminClaimed else { return false }
        firstAdminClaimed = true
        users[user.id] = user
        return true
    }

    public func admins() -> [UserRecord] {
        users.values.filter { $0.role == .admin && $0.access == .active }.sorted { $0.id < $1.id }
    }

    public func page(skip: Int, limit: Int) -> [UserRecord] {
        let ordered = users.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        return Array(ordered.dropFirst(max(0, skip)).prefix(max(0, limit)))
    }

    public func touch(_ id: Int64, at: Date) { users[id]?.lastSeenAt = at }
}
