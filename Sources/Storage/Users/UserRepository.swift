import Foundation

public protocol UserRepository: Sendable {
    func get(_ id: Int64) async throws -> UserRecord?
    /// Creates the user or refreshes phone, names and language of an existing one (settings are kept).
    func upsert(_ user: UserRecord) async throws
    func updateSettings(_ id: Int64, _ settings: UserSettings) async throws
    func setLanguage(_ id: Int64, _ language: String) async throws
    func setUnreachable(_ id: Int64, _ unreachable: Bool) async throws
    /// The users among `ids` that exist, in no particular order (one round trip for the monitor's sweep).
    func list(ids: [Int64]) async throws -> [UserRecord]
}

// Plain fallbacks for other conformers; the memory and MongoDB stores do these in one step.
extension UserRepository {
    public func list(ids: [Int64]) async throws -> [UserRecord] {
        var users: [UserRecord] = []
        for id in Set(ids) { if let user = try await get(id) { users.append(user) } }
        return users
    }
}
