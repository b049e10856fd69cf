import BSON
import FSM
import Foundation
import Storage
import Targets
import TelegramAPI

/// The add dialog: kind → target → name → saved, or a pasted list (`AddMonitorDialog+Bulk.swift`).
/// Bad input keeps the user on the same step.
enum AddMonitorDialog {
    static let kind = FSMState("AddMonitor", "kind")
    static let target = FSMState("AddMonitor", "target")
    static let name = FSMState("AddMonitor", "name")
    /// Data key: the limit the user's monitors were counted against at /add.
    static let countedUnderLimit = "counted_under_limit"

    static func start(_ c: BotContext) async throws {
        c.answer()
        let limit = c.dependencies.catalog.limit
        if try await c.dependencies.repositories.monitors.count(ownerID: c.from.id) >= limit {
            try await c.reply(c.texts.limitReached(limit))
            return
        }
        let addRate = c.dependencies.catalog.addRate
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
            let chosen = TargetKind(rawValue: String(raw))
        else {
            c.answer(c.texts.outdatedButton)
            return
        }
        c.answer()
        try await c.fsm.update(["kind": .string(chosen.rawValue), kindGuessed: .null], movingTo: target)
        try await c.show(
            c.texts.askTarget(chosen) + "\n\n" + c.texts.bulkHint, keyboard: try Keyboards.cancelOnly(c.texts))
    }

    /// Text at the kind step: the user skipped the buttons and typed an address; take it.
    static func typedInsteadOfKind(_ c: BotContext) async throws {
        guard let text = c.text else { return }
        if BulkInput.isList(text) {
            try await receiveList(c, text, chosenKind: nil)
            return
        }
        try await c.fsm.update(
            ["kind": .string(TargetKind.guess(text).rawValue), kindGuessed: .bool(true)], movingTo: target)
        try await receiveTarget(c)
    }

    static func receiveTarget(_ c: BotContext) async throws {
        guard let text = c.text else { return }
        let data = try await c.fsm.getData()
        let chosen = data["kind"]?.stringValue.flatMap(TargetKind.init(rawValue:))
        if BulkInput.isList(text) {
            try await receiveList(c, text, chosenKind: data[kindGuessed]?.boolValue == true ? nil : chosen)
            return
        }
        let kind = chosen ?? TargetKind.guess(text)
        let parsed: String
        do {
            parsed = try TargetParser.parse(text, as: kind)
        } catch {
            try await c.reply(c.texts.targetError(error), markup: .inline(try Keyboards.cancelOnly(c.texts)))
            return
        }
        if let refusal = await c.policyRefusal(kind: kind, target: parsed) {
            try await c.reply(c.texts.targetDenied(refusal), markup: .inline(try Keyboards.cancelOnly(c.texts)))
            return
        }
        if try await c.dependencies.catalog.isWatched(ownerID: c.from.id, kind: kind, target: parsed) {
            try await c.reply(c.texts.duplicate, markup: .inline(try Keyboards.cancelOnly(c.texts)))
            return
        }
        // The kind is kept too: after a list typed at the kind step, none was stored yet.
        try await c.fsm.update(["target": .string(parsed), "kind": .string(kind.rawValue)], movingTo: name)
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
        guard let kind = data["kind"]?.stringValue.flatMap(TargetKind.init(rawValue:)),
            let target = data["target"]?.stringValue
        else {
            // The dialog's data is gone (hand-edited, or an old button): start over rather than guess.
            try await c.fsm.clear()
            try await c.reply(c.texts.outdatedButton)
            return
        }
        // Only this dialog adds monitors (a pasted list or an imported file clears `countedUnderLimit`),
        // and one user's updates run one at a time in their one private chat, so the count made at /add
        // still holds under the same limit: since then it can only have fallen. A dialog from before a
        // restart with another limit (or an older version) counts again.
        let counted = data[countedUnderLimit]?.intValue == c.dependencies.catalog.limit
        let result = try await c.dependencies.catalog.add(
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
