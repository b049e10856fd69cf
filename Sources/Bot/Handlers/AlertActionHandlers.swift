import BSON
import Foundation
import Storage
import TelegramAPI

/// The buttons under an alert: 🔎 open, ✋ acknowledge, 🛠 maintenance for an hour, ⏸ pause. Each
/// checks that the monitor is the presser's (buttons can be forged) and leaves the alert as it was:
/// what it does comes as a toast and a new message.
enum AlertActionHandlers {
    static func open(_ c: BotContext) async throws {
        guard let monitor = try await MonitoringHandlers.ownedMonitor(c, prefix: CallbackData.alertOpen) else { return }
        c.answer()
        try await c.reply(
            try await MonitoringHandlers.itemText(c, monitor),
            markup: .inline(try Keyboards.item(monitor, c.texts)))
    }

    static func acknowledge(_ c: BotContext) async throws {
        guard let (id, counter) = AlertActions.acknowledged(c.callback?.data) else {
            c.answer(c.texts.notFound, alert: true)
            return
        }
        let name = [c.from.firstName, c.from.lastName].compactMap { $0 }.joined(separator: " ")
        let ack = Acknowledgement(counter: counter, by: c.from.id, byName: name, at: Date())
        switch try await c.dependencies.catalog.acknowledge(id, ownerID: c.from.id, ack) {
        case .acknowledged(let monitor):
            c.answer(c.texts.acknowledgedToast)
            try await c.reply(c.texts.acknowledged(monitor))
        case .over:
            c.answer(c.texts.outageOver, alert: true)
        case .notFound:
            c.answer(c.texts.notFound, alert: true)
        }
    }

    static func maintenanceHour(_ c: BotContext) async throws {
        guard let monitor = try await MonitoringHandlers.ownedMonitor(c, prefix: CallbackData.alertMaintenance) else {
            return
        }
        let now = Date()
        try await MaintenanceHandlers.add(c, .once(from: now, until: now.addingTimeInterval(3600)), to: monitor)
    }

    static func pause(_ c: BotContext) async throws {
        guard let monitor = try await MonitoringHandlers.ownedMonitor(c, prefix: CallbackData.alertPause),
            let updated = try await c.dependencies.catalog.update(
                monitor.id, ownerID: c.from.id, MonitorChanges(enabled: false))
        else { return }
        c.answer(c.texts.paused)
        try await c.reply(
            c.texts.pausedFromAlert(updated),
            markup: .inline(
                InlineKeyboardMarkup([
                    [try Keyboards.button(c.texts.resumeButton, CallbackData.resume + monitor.id.hex)]
                ])))
    }
}
