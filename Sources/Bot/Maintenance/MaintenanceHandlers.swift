import BSON
import FSM
import Foundation
import Storage
import TelegramAPI

/// Maintenance windows of one monitor or of all the owner's: the menu, 1 h / 4 h from now, until a
/// typed time, every week at a typed time, and ending them. The subject travels in the button data
/// ("wm:<id>" / "wm:all") and, while a time is typed, in the FSM data.
enum MaintenanceHandlers {
    static let until = FSMState("Maintenance", "until")
    static let weekly = FSMState("Maintenance", "weekly")
    static let choices = [60, 240]
    /// Windows kept per monitor, and per owner for all.
    static let maxWindows = 10

    /// One monitor, or all of the owner's (nil).
    typealias Subject = MonitorRecord?

    static func menu(_ c: BotContext) async throws {
        guard let subject = try await subject(c, prefix: CallbackData.maintenanceMenu) else { return }
        c.answer()
        try await showMenu(c, subject)
    }

    static func showMenu(_ c: BotContext, _ subject: Subject) async throws {
        let t = c.texts
        let windows = try await currentWindows(c, subject)
        var lines = [t.maintenanceTitle(subject.map { HTML.bold(MonitorFormatting.title($0)) } ?? t.allMonitorsSubject)]
        lines.append(windows.isEmpty ? t.noMaintenance : windows.map(t.window).joined(separator: "\n"))
        lines.append("")
        lines.append(t.maintenanceExplained)
        let key = subject?.id.hex ?? CallbackData.allMonitors
        var rows = [
            try choices.map {
                try Keyboards.button(t.maintenanceFor(minutes: $0), "\(CallbackData.maintenanceFor)\(key):\($0)")
            },
            [
                try Keyboards.button(t.maintenanceUntilButton, CallbackData.maintenanceUntil + key),
                try Keyboards.button(t.maintenanceWeeklyButton, CallbackData.maintenanceWeekly + key),
            ],
        ]
        if !windows.isEmpty {
            rows.append([try Keyboards.button(t.maintenanceEndButton, CallbackData.maintenanceEnd + key)])
        }
        rows.append([
            try Keyboards.button(
                t.backButton, subject.map { CallbackData.open + $0.id.hex } ?? CallbackData.listPage + "0")
        ])
        try await c.show(lines.joined(separator: "\n"), keyboard: InlineKeyboardMarkup(rows))
    }

    static func setFor(_ c: BotContext) async throws {
        guard let (id, rest) = CallbackData.maintenanceSubject(c.callback?.data, prefix: CallbackData.maintenanceFor),
            let minutes = Int(rest), choices.contains(minutes)
        else {
            c.answer(c.texts.outdatedButton)
            return
        }
        guard let subject = try await owned(c, id) else { return }
        let now = Date()
        try await add(c, .once(from: now, until: now.addingTimeInterval(Double(minutes) * 60)), to: subject)
    }

    static func startUntil(_ c: BotContext) async throws {
        try await start(
            c, prefix: CallbackData.maintenanceUntil, state: until, prompt: c.texts.askUntil(zone: c.texts.zone))
    }

    static func startWeekly(_ c: BotContext) async throws {
        try await start(
            c, prefix: CallbackData.maintenanceWeekly, state: weekly, prompt: c.texts.askWeekly(zone: c.texts.zone))
    }

    private static func start(_ c: BotContext, prefix: String, state: FSMState, prompt: String) async throws {
        guard let subject = try await subject(c, prefix: prefix) else { return }
        c.answer()
        try await c.fsm.set(state, data: ["subject": .string(subject?.id.hex ?? CallbackData.allMonitors)])
        try await c.reply(prompt, markup: .inline(try Keyboards.cancelOnly(c.texts)))
    }

    static func receiveUntil(_ c: BotContext) async throws {
        guard let text = c.text, let subject = try await typedSubject(c) else { return }
        switch MaintenanceInput.until(text, now: Date(), zone: c.texts.zone.zone) {
        case .success(let window):
            try await c.fsm.clear()
            try await add(c, window, to: subject)
        case .failure(let refusal):
            try await c.reply(c.texts.maintenanceRefused(refusal), markup: .inline(try Keyboards.cancelOnly(c.texts)))
        }
    }

    static func receiveWeekly(_ c: BotContext) async throws {
        guard let text = c.text, let subject = try await typedSubject(c) else { return }
        switch MaintenanceInput.weekly(text, zone: c.texts.zone.identifier) {
        case .success(let window):
            try await c.fsm.clear()
            try await add(c, window, to: subject)
        case .failure(let refusal):
            try await c.reply(c.texts.maintenanceRefused(refusal), markup: .inline(try Keyboards.cancelOnly(c.texts)))
        }
    }

    static func end(_ c: BotContext) async throws {
        guard let (id, _) = CallbackData.maintenanceSubject(c.callback?.data, prefix: CallbackData.maintenanceEnd)
        else {
            c.answer(c.texts.notFound, alert: true)
            return
        }
        guard let subject = try await owned(c, id) else { return }
        guard let saved = try await save(c, [], for: subject) else { return }
        c.answer(c.texts.maintenanceEnded)
        try await showMenu(c, saved)
    }

    /// Adds a window (dropping ones that are over) and says until when.
    static func add(_ c: BotContext, _ window: MaintenanceWindow, to subject: Subject) async throws {
        let now = Date()
        var windows = try await currentWindows(c, subject).filter { !$0.isOver(at: now) }
        guard windows.count < maxWindows else {
            c.answer(c.texts.tooManyWindows, alert: true)
            return
        }
        windows.append(window)
        guard let saved = try await save(c, windows, for: subject) else { return }
        let said =
            window.kind == .once ? c.texts.maintenanceSet(until: window.until ?? now) : c.texts.maintenanceWeeklySet
        c.answer(TelegramText.plain(fromHTML: said))
        if c.callback?.data?.hasPrefix(CallbackData.alertMaintenance) == true || c.message != nil {
            // From an alert or a typed time: a new message, the alert stays as it was.
            try await c.reply(said)
        } else {
            try await showMenu(c, saved)
        }
    }

    /// Stores the windows; the subject as saved, or nil (told) when the monitor is gone.
    private static func save(_ c: BotContext, _ windows: [MaintenanceWindow], for subject: Subject) async throws
        -> Subject?
    {
        if let monitor = subject {
            guard
                let updated = try await c.dependencies.catalog.update(
                    monitor.id, ownerID: c.from.id, MonitorChanges(maintenance: windows))
            else {
                c.answer(c.texts.notFound, alert: true)
                return nil
            }
            return .some(updated)
        }
        guard var user = c.user else { return nil }
        user.settings.maintenance = windows
        try await c.dependencies.repositories.users.updateSettings(user.id, user.settings)
        return .some(nil)
    }

    private static func currentWindows(_ c: BotContext, _ subject: Subject) async throws -> [MaintenanceWindow] {
        if let monitor = subject { return monitor.maintenance }
        return try await c.dependencies.repositories.users.get(c.from.id)?.settings.maintenance ?? []
    }

    private static func subject(_ c: BotContext, prefix: String) async throws -> Subject? {
        guard let (id, _) = CallbackData.maintenanceSubject(c.callback?.data, prefix: prefix) else {
            c.answer(c.texts.notFound, alert: true)
            return nil
        }
        return try await owned(c, id)
    }

    /// The monitor if it is this user's (told otherwise), or `.some(nil)` for all of theirs.
    private static func owned(_ c: BotContext, _ id: ObjectId?) async throws -> Subject? {
        guard let id else { return .some(nil) }
        guard let monitor = try await c.dependencies.catalog.owned(id, by: c.from.id) else {
            c.answer(c.texts.notFound, alert: true)
            return nil
        }
        return .some(monitor)
    }

    private static func typedSubject(_ c: BotContext) async throws -> Subject? {
        let data = try await c.fsm.getData()
        guard let key = data["subject"]?.stringValue else {
            try await c.fsm.clear()
            return nil
        }
        if key == CallbackData.allMonitors { return .some(nil) }
        if let id = ObjectId(hex: key), let monitor = try await c.dependencies.catalog.owned(id, by: c.from.id) {
            return .some(monitor)
        }
        try await c.fsm.clear()
        try await c.reply(c.texts.notFound)
        return nil
    }
}
