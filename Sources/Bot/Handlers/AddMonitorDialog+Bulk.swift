import FSM
import Foundation
import Targets

/// A list pasted into the add dialog: every line added as the single add would add it, one summary
/// message, and the dialog stays at the target step for the next list (a long paste arrives as several
/// messages) until "Done" or /cancel.
extension AddMonitorDialog {
    /// Data key: the kind in `kind` was guessed from a typed address, not chosen with a button.
    static let kindGuessed = "kind_guessed"

    static func receiveList(_ c: BotContext, _ text: String, chosenKind: TargetKind?) async throws {
        let (entries, total) = BulkInput.entries(pasted: text)
        let verdicts = try await BulkAdd.run(entries, chosenKind: chosenKind, c)
        // The count made at /add no longer holds once a list added something: the single add counts again.
        try await c.fsm.update([countedUnderLimit: .null], movingTo: target)
        try await BulkReport.send(
            c, title: c.texts.bulkTitle(lines: total), verdicts: verdicts, read: entries.count, total: total,
            footer: c.texts.bulkMore, keyboard: try Keyboards.bulkDone(c.texts))
    }

    /// "Done" under a bulk summary: leave the dialog, show the list.
    static func done(_ c: BotContext) async throws {
        try await c.fsm.clear()
        try await MonitoringHandlers.showList(c, page: 0)
    }
}
