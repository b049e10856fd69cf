import Foundation

public protocol UserRepository: Sendable {
    func get(_ id: Int64) async throws -> UserRecord?
    /// Creates the user or refreshes phone, names and language of an existing one (settings are kept).
    func upsert(_ user: UserRecord) async throws
    func updateSettings(_ id: Int64, _ settings: UserSettings) async throws
    func setLanguage(_ id: Int64, _ language: String) async throws
    func setUnreachable(_ id: Int64, _ unreachable: Bool) async throws
    /// How many users there are (any access): /users pages, and whether the database is empty.
    func count() async throws -> Int
    /// The users among `ids` that exist, in no particular order (one round trip for the monitor's sweep).
    func list(ids: [Int64]) async throws -> [UserRecord]
    /// Changes a user's access fields; returns the user as changed, nil when there is no such user.
    func setAccess(_ id: Int64, _ change: AccessChange) async throws -> UserRecord?
    /// Stores `user` as the first admin if no one has claimed that before (one atomic step: of two
    /// users signing in at once on an empty database, one wins). False when someone had.
    func claimFirstAdmin(_ user: UserRecord) async throws -> Bool
    /// Active admins (role "admin"); ADMIN_IDS are the caller's to add.
    func admins() async throws -> [UserRecord]
    /// Users in sign-in order, `limit` from `skip`: the pages of /users and the ALLOWED_PHONES sweep.
    func page(skip: Int, limit: Int) async throws -> [UserRecord]
    /// Records when the user was last seen.
    func touch(_ id: Int64, at: Date) async throws
}

// Plain fallbacks for other conformers; the memory and MongoDB stores do these in one step.
extension UserRepository {
    public func list(ids: [Int64]) async throws -> [UserRecord] {
        var users: [UserRecord] = []
        for id in Set(ids) { if let user = try await get(id) { users.append(user) } }
        return users
    }
}
