import BSON

/// Edits, pauses and deletes made in the chat, announced to the monitor engine at once (not at its
/// next reload): the Bot's catalog announces, the scheduler listens. Both sides know only Storage;
/// the composition root hands the same feed to each.
public final class MonitorChangeFeed: Sendable {
    public let changes: AsyncStream<ObjectId>
    private let continuation: AsyncStream<ObjectId>.Continuation

    public init() {
        // Unbounded but tiny: one id per chat edit, read as they come.
        (changes, continuation) = AsyncStream.makeStream(of: ObjectId.self)
    }

    /// The monitor `id` was created, edited, paused, resumed or deleted.
    public func announce(_ id: ObjectId) { continuation.yield(id) }
}
