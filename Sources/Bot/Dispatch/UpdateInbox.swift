import Foundation
import Logging
import Storage
import Synchronization
import TelegramAPI

/// Writes down every update the poller takes before Telegram is told to forget it, and marks it once
/// handled. Telegram forgets updates when the next getUpdates confirms them, while the dispatcher may
/// still have them queued behind a slow reply: without this, a process killed then (SIGKILL, OOM, a
/// power cut) would lose them. At the next start the unhandled ones are handled first, and updates
/// Telegram delivers again are recognised and dropped.
///
/// Exactly once, but for two windows of a round trip each: an update handled while its record was
/// still on the way, then re-delivered after a crash, is handled again; so is one whose handled mark
/// had not landed. If the inbox cannot be written (MongoDB down) the updates are handled anyway, with
/// a warning per getUpdates answer and per mark that failed: they are as safe as without an inbox.
public final class UpdateInbox: Sendable {
    let repository: any UpdateInboxRepository
    let logger: Logger
    /// The highest id written down before this start: at or below it an update may be a re-delivery.
    private let knownUpTo = Mutex<Int64?>(nil)

    public init(repository: any UpdateInboxRepository, logger: Logger) {
        self.repository = repository
        self.logger = logger
    }

    /// The updates taken but not handled before the last stop, oldest first; call once, before polling.
    public func recover() async throws -> [Update] {
        let (entries, highest) = try await repository.unhandled()
        knownUpTo.withLock { $0 = highest }
        var updates: [Update] = []
        for entry in entries {
            switch entry.update {
            case .success(let update): updates.append(update)
            case .failure(let error):
                logger.error(
                    "an update in the inbox cannot be read; skipping it",
                    metadata: ["update": "\(entry.id)", "error": "\(error.reason)"])
                try await repository.markHandled(entry.id)
            }
        }
        if !updates.isEmpty {
            logger.notice("handling updates taken before the last stop", metadata: ["count": "\(updates.count)"])
        }
        return updates
    }

    /// Hands `updates` (one getUpdates answer, in order) to `submit` and writes them down; returns once
    /// they are written, so the poller confirms them to Telegram only then. Right after a start, updates
    /// Telegram may be delivering again are written first and only the new ones submitted.
    public func accept(_ updates: [Update], submit: (Update) async -> Void) async {
        guard let first = updates.first else { return }
        if let known = knownUpTo.withLock({ $0 }), first.updateID <= known {
            let seen = await record(updates)
            for update in updates where !seen.contains(update.updateID) { await submit(update) }
        } else {
            for update in updates { await submit(update) }
            await record(updates)
        }
    }

    /// Marks an update handled (logged, not thrown, when that fails: it may then be handled again after a crash).
    public func handled(_ update: Update) async {
        do {
            try await repository.markHandled(update.updateID)
        } catch {
            logger.warning(
                "could not mark an update handled in the inbox",
                metadata: ["update": "\(update.updateID)", "error": "\(error)"])
        }
    }

    /// The ids among `updates` written down before; none when writing failed (logged).
    @discardableResult
    private func record(_ updates: [Update]) async -> Set<Int64> {
        do {
            return try await repository.record(updates)
        } catch {
            logger.warning(
                "could not write updates to the inbox; a crash now would lose them",
                metadata: [
                    "updates": "\(updates.count)", "error": "\(error)",
                ])
            return []
        }
    }
}
