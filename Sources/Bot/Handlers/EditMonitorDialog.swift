import BSON
import FSM
import Foundation
import Storage
import Targets
import TelegramAPI

/// Renaming and re-targeting one monitor; the monitor id travels in the FSM data.
enum EditMonitorDialog {
    static let name = FSMState("EditMonitor", "name")
    static let target = FSMState("EditMonitor", "target")

    static func startRename(_ c: BotContext) async throws {
        try await start(c, prefix: CallbackData.rename, state: name, prompt: c.texts.askNewName)
    }

    static func startRetarget(_ c: BotContext) async throws {
        guard let monitor = try await MonitoringHandlers.ownedMonitor(c, prefix: CallbackData.retarget) else { return }
        try await begin(c, monitor, state: target, prompt: c.texts.askTarget(monitor.kind))
    }

    private static func start(_ c: BotContext, prefix: String, state: FSMState, prompt: String) async throws {
        guard let monitor = try await MonitoringHandlers.ownedMonitor(c, prefix: prefix) else { return }
        try await begin(c, monitor, state: state, prompt: prompt)
    }

    private static func begin(_ c: BotContext, _ monitor: MonitorRecord, state: FSMState, prompt: String) async throws {
        c.answer()
        try await c.fsm.set(state, data: ["monitor_id": .string(monitor.id.hex)])
        try await c.reply(prompt, markup: .inline(try Keyboards.cancelOnly(c.texts)))
    }

    /// The monitor being edited, if it still exists and is still this user's; otherwise ends the dialog.
    private static func editedMonitor(_ c: BotContext) async throws -> MonitorRecord? {
        let data = try await c.fsm.getData()
        if let hex = data["monitor_id"]?.stringValue, let id = ObjectId(hex: hex),
            let monitor = try await c.dependencies.catalog.owned(id, by: c.from.id)
        {
            return monitor
        }
        try await c.fsm.clear()
        try await c.reply(c.texts.notFound)
        return nil
    }

    static func receiveName(_ c: BotContext) async throws {
        guard let text = c.text, let monitor = try await editedMonitor(c) else { return }
        guard let newName = TargetParser.parseName(text) else {
            try await c.reply(c.texts.nameInvalid, markup: .inline(try Keyboards.cancelOnly(c.texts)))
            return
        }
        try await apply(c, monitor, MonitorChanges(name: newName), done: c.texts.renamed)
    }

    static func receiveTarget(_ c: BotContext) async throws {
        guard let text = c.text, let monitor = try await editedMonitor(c) else { return }
        // A URL (http, tcp:// or dns://) or host:port sets the kind; a bare host keeps the monitor's (a site stays a site).
        let guessed = TargetKind.guess(text)
        let kind: TargetKind = guessed == .icmp ? monitor.kind : guessed
        do {
            let parsed = try TargetParser.parse(text, as: kind)
            if let refusal = await c.policyRefusal(kind: kind, target: parsed) {
                try await c.reply(c.texts.targetDenied(refusal), markup: .inline(try Keyboards.cancelOnly(c.texts)))
                return
            }
            try await apply(c, monitor, MonitorChanges(target: parsed, kind: kind), done: c.texts.retargeted)
        } catch let error as TargetError {
            try await c.reply(c.texts.targetError(error), markup: .inline(try Keyboards.cancelOnly(c.texts)))
        }
    }

    private static func apply(_ c: BotContext, _ monitor: MonitorRecord, _ changes: MonitorChanges, done: String)
        async throws
    {
        let updated: MonitorRecord?
        do {
            updated = try await c.dependencies.catalog.update(monitor.id, ownerID: c.from.id, changes)
        } catch MonitorRepositoryError.duplicate {
            try await c.reply(c.texts.duplicate, markup: .inline(try Keyboards.cancelOnly(c.texts)))
            return
        }
        try await c.fsm.clear()
        guard let updated else {
            try await c.reply(c.texts.notFound)
            return
        }
        try await c.reply(done)
        try await c.reply(
            try await MonitoringHandlers.itemText(c, updated), markup: .inline(try Keyboards.item(updated, c.texts)))
    }
}
