import BSON
import FSM
import Foundation
import Storage
import TelegramAPI

/// The add dialog: kind → target → name → saved. Bad input keeps the user on the same step.
enum AddMonitorDialog {
    static let kind = FSMState("AddMonitor", "kind")
    static let target = FSMState("AddMonitor", "target")
    static let name = FSMState("AddMonitor", "name")
    /// Data key: the limit the user's monitors were counted against at /add.
    static let countedUnderLimit = "counted_under_limit"

    static func start(_ c: BotContext) async throws {
        c.answer()
        let limit = c.services.catalog.limit
        if try await c.services.repositories.monitors.count(ownerID: c.from.id) >= limit {
            try await c.reply(c.texts.limitReached(limit))
            return
        }
        let addRate = c.services.catalog.addRate
        guard addRate.allows(c.from.id) else {
            try await c.reply(c.texts.tooManyAdds(addRate.perMinute))
            return
        }
        // Remembered so the save need not count again (see `finish`).
        try await c.fsm.set(kind, data: [countedUnderLimit: .int(limit)])
        try await c.show(c.texts.chooseKind, keyboard: try Keyboards.chooseKind(c.texts))
    }

    static func chooseKind(_ c: BotContext) async throws {
        guard let raw = c.callback?.data?.dropFirst(CallbackData.kind.count),
            let chosen = MonitorKind(rawValue: String(raw))
        else {
            c.answer(c.texts.outdatedButton)
            return
        }
        c.answer()
        try await c.fsm.update(["kind": .string(chosen.rawValue)], movingTo: target)
        try await c.show(c.texts.askTarget(chosen), keyboard: try Keyboards.cancelOnly(c.texts))
    }

    /// Text at the kind step: the user skipped the buttons and typed an address; take it.
    static func typedInsteadOfKind(_ c: BotContext) async throws {
        guard let text = c.text else { return }
        try await c.fsm.update(["kind": .string(TargetParser.guessKind(text).rawValue)], movingTo: target)
        try await receiveTarget(c)
    }

    static func receiveTarget(_ c: BotContext) async throws {
        guard let text = c.text else { return }
        let data = try await c.fsm.getData()
        let kind = data["kind"]?.stringValue.flatMap(MonitorKind.init(rawValue:)) ?? TargetParser.guessKind(text)
        let parsed: String
        do {
            parsed = try TargetParser.parse(text, as: kind)
        } catch {
            try await c.reply(c.texts.targetError(error), markup: .inline(try Keyboards.cancelOnly(c.texts)))
            return
        }
        if try await c.services.catalog.isWatched(ownerID: c.from.id, kind: kind, target: parsed) {
            try await c.reply(c.texts.duplicate, markup: .inline(try Keyboards.cancelOnly(c.texts)))
            return
        }
        try await c.fsm.update(["target": .string(parsed)], movingTo: name)
        try await c.reply(c.texts.askName, markup: .inline(try Keyboards.skipName(c.texts)))
    }

    static func receiveName(_ c: BotContext) async throws {
        guard let text = c.text else { return }
        guard let name = TargetParser.parseName(text) else {
            try await c.reply(c.texts.nameInvalid, markup: .inline(try Keyboards.skipName(c.texts)))
            return
        }
        try await finish(c, name: name)
    }

    static func skipName(_ c: BotContext) async throws {
        c.answer()
        try await finish(c, name: nil)
    }

    static func finish(_ c: BotContext, name: String?) async throws {
        let data = try await c.fsm.getData()
        guard let kind = data["kind"]?.stringValue.flatMap(MonitorKind.init(rawValue:)),
            let target = data["target"]?.stringValue
        else {
            // The dialog's data is gone (hand-edited, or an old button): start over rather than guess.
            try await c.fsm.clear()
            try await c.reply(c.texts.outdatedButton)
            return
        }
        // Only this dialog adds monitors, and one user's updates run one at a time in their one private
        // chat, so the count made at /add still holds under the same limit: since then it can only have
        // fallen. A dialog from before a restart with another limit (or an older version) counts again.
        let counted = data[countedUnderLimit]?.intValue == c.services.catalog.limit
        let result = try await c.services.catalog.add(
            ownerID: c.from.id, kind: kind, target: target, name: name ?? target,
            alreadyCountedUnderLimit: counted)
        switch result {
        case .added(let monitor):
            try await c.fsm.clear()
            try await c.reply(c.texts.added(monitor), markup: .inline(try Keyboards.afterAdd(monitor, c.texts)))
        case .duplicate:
            try await c.fsm.setState(self.target)
            try await c.reply(c.texts.duplicate, markup: .inline(try Keyboards.cancelOnly(c.texts)))
        case .limitReached(let limit):
            try await c.fsm.clear()
            try await c.reply(c.texts.limitReached(limit))
        case .tooManyAdds(let perMinute):
            // The dialog stays at the name: sending it again in a minute saves the monitor.
            try await c.fsm.setState(self.name)
            try await c.reply(c.texts.tooManyAdds(perMinute), markup: .inline(try Keyboards.cancelOnly(c.texts)))
        }
    }
}

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
            let monitor = try await c.services.catalog.owned(id, by: c.from.id)
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
        let kind = text.contains("://") ? MonitorKind.http : monitor.kind == .http ? .http : .icmp
        do {
            let parsed = try TargetParser.parse(text, as: kind)
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
            updated = try await c.services.catalog.update(monitor.id, ownerID: c.from.id, changes)
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

/// What each dialog step asks, for users who send something else (a photo, a sticker).
enum DialogPrompts {
    static func repeatPrompt(_ c: BotContext, state: FSMState) async throws {
        let data = try await c.fsm.getData()
        let kind = data["kind"]?.stringValue.flatMap(MonitorKind.init(rawValue:)) ?? .icmp
        switch state {
        case AddMonitorDialog.kind:
            try await c.reply(c.texts.chooseKind, markup: .inline(try Keyboards.chooseKind(c.texts)))
        case AddMonitorDialog.target, EditMonitorDialog.target:
            try await c.reply(c.texts.askTarget(kind), markup: .inline(try Keyboards.cancelOnly(c.texts)))
        case AddMonitorDialog.name: try await c.reply(c.texts.askName, markup: .inline(try Keyboards.skipName(c.texts)))
        case EditMonitorDialog.name:
            try await c.reply(c.texts.askNewName, markup: .inline(try Keyboards.cancelOnly(c.texts)))
        default:
            // A state this version does not know (left by an older one): leave it cleanly.
            try await c.fsm.clear()
            try await c.reply(c.texts.hint)
        }
    }
}
