import TelegramAPI

/// Updates the bot took from Telegram, kept until handled: Telegram forgets an update once the bot
/// asks for the next ones, so one taken but not finished when the process died (SIGKILL, OOM) would
/// be lost without this.
public protocol UpdateInboxRepository: Sendable {
    /// Writes down updates just taken; returns the ids among them written down before (re-delivered
    /// after a crash), which are not written again.
    func record(_ updates: [Update]) async throws -> Set<Int64>
    /// Marks an update handled; if `record` has not landed yet, the mark stands and the later `record`
    /// reports the id as known.
    func markHandled(_ id: Int64) async throws
    /// The updates written down and not handled, oldest first, and the highest id written down at all.
    func unhandled() async throws -> (entries: [InboxEntry], highestID: Int64?)
}
