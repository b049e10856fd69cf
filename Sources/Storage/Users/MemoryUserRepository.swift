import Foundation

public actor MemoryUserRepository: UserRepository {
    private var users: [Int64: UserRecord] = [:]

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
    public func list(ids: [Int64]) -> [UserRecord] { Set(ids).compactMap { users[$0] } }
}
