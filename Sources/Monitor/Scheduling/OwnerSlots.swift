import Checks
import Synchronization

/// A fair share of the HTTP check slots per owner: one owner's checks hold at most `perOwner`
/// of CHECK_CONCURRENCY at once and the rest of theirs wait in that owner's own queue, so 200
/// hanging URLs of one owner delay only that owner, never the others' checks.
final class OwnerSlots: Sendable {
    private struct Owner {
        var limit: ConcurrencyLimit
        var users: Int
    }

    let perOwner: Int
    private let owners = Mutex<[Int64: Owner]>([:])

    /// A quarter of the pool per owner (at least one): a few busy owners still leave room for the rest.
    init(checkConcurrency: Int) {
        perOwner = max(1, checkConcurrency / 4)
    }

    /// Runs `body` holding one of the owner's slots; throws when cancelled while waiting.
    func withSlot<T: Sendable>(owner: Int64, _ body: () async throws(CancellationError) -> T)
        async throws(CancellationError) -> T
    {
        let limit = owners.withLock { owners -> ConcurrencyLimit in
            var entry = owners[owner] ?? Owner(limit: ConcurrencyLimit(limit: perOwner), users: 0)
            entry.users += 1
            owners[owner] = entry
            return entry.limit
        }
        // Owners with nothing in flight or waiting are forgotten, so the table follows the active ones.
        defer {
            owners.withLock { owners in
                guard var entry = owners[owner] else { return }
                entry.users -= 1
                owners[owner] = entry.users > 0 ? entry : nil
            }
        }
        try await limit.acquire()
        defer { limit.release() }
        return try await body()
    }
}
