import FSM
import Storage
import Targets

/// What each dialog step asks, for users who send something else (a photo, a sticker).
enum DialogPrompts {
    static func repeatPrompt(_ c: BotContext, state: FSMState) async throws {
        let data = try await c.fsm.getData()
        let kind = data["kind"]?.stringValue.flatMap(TargetKind.init(rawValue:)) ?? .icmp
        switch state {
        case AddMonitorDialog.kind:
            try await c.reply(c.texts.chooseKind, markup: .inline(try Keyboards.chooseKind(c.texts)))
        case AddMonitorDialog.target, EditMonitorDialog.target:
            try await c.reply(c.texts.askTarget(kind), markup: .inline(try Keyboards.cancelOnly(c.texts)))
        case AddMonitorDialog.name: try await c.reply(c.texts.askName, markup: .inline(try Keyboards.skipName(c.texts)))
        case EditMonitorDialog.name:
            try await c.reply(c.texts.askNewName, markup: .inline(try Keyboards.cancelOnly(c.texts)))
        case MonitorSettingsDialog.value:
            try await c.reply(
                c.texts.pick("Отправьте значение текстом или /cancel.", "Send the value as text, or /cancel."),
                markup: .inline(try Keyboards.cancelOnly(c.texts)))
        default:
            // A state this version does not know (left by an older one): leave it cleanly.
            try await c.fsm.clear()
            try await c.reply(c.texts.hint)
        }
    }
}
