import Foundation
import HumanFormatting
import Storage
import TelegramAPI

/// Texts of the alert buttons, maintenance, dependencies, reminders, time zones and /status.
extension Texts {
    // MARK: Alert buttons

    /// Toasts are plain text.
    var acknowledgedToast: String { pick("✋ Взято в работу", "✋ Acknowledged") }
    func acknowledged(_ monitor: MonitorRecord) -> String {
        pick(
            "✋ Вы взяли в работу сбой \(HTML.bold(MonitorFormatting.title(monitor))). Напоминаний о нём не будет; о восстановлении я напишу.",
            "✋ You took the outage of \(HTML.bold(MonitorFormatting.title(monitor))). No reminders of it; I will tell you when it is back."
        )
    }
    var outageOver: String {
        pick(
            "Этот сбой уже закончился — брать в работу нечего.", "This outage is already over: nothing to acknowledge.")
    }
    func pausedFromAlert(_ monitor: MonitorRecord) -> String {
        pick(
            "⏸ \(HTML.bold(MonitorFormatting.title(monitor))) на паузе: проверок и тревог нет, пока не возобновите.",
            "⏸ \(HTML.bold(MonitorFormatting.title(monitor))) is paused: no checks and no alerts until you resume it.")
    }

    // MARK: Maintenance

    var maintenanceButton: String { pick("🛠 Обслуживание", "🛠 Maintenance") }
    var maintenanceAllButton: String { pick("🛠 Обслуживание всех", "🛠 Maintenance of all") }
    func maintenanceFor(minutes: Int) -> String {
        "🛠 "
            + pick(
                "на \(MonitorFormatting.duration(minutes * 60, self))",
                "for \(MonitorFormatting.duration(minutes * 60, self))")
    }
    var maintenanceUntilButton: String { pick("⏰ До времени…", "⏰ Until a time…") }
    var maintenanceWeeklyButton: String { pick("📅 Каждую неделю…", "📅 Every week…") }
    var maintenanceEndButton: String { pick("✖️ Снять обслуживание", "✖️ End maintenance") }

    func maintenanceTitle(_ subject: String) -> String {
        pick("🛠 <b>Обслуживание</b>: \(subject)", "🛠 <b>Maintenance</b>: \(subject)")
    }
    var allMonitorsSubject: String { pick("все ваши мониторы", "all your monitors") }
    var maintenanceExplained: String {
        pick(
            "Во время обслуживания тревог нет, а проверки не портят доступность. Что не работает к концу окна — придёт тревогой один раз.",
            "During maintenance there are no alerts and checks do not count against uptime. What is still down when it ends alerts then, once."
        )
    }
    var noMaintenance: String { pick("Окон обслуживания нет.", "No maintenance windows.") }

    /// One window, on the user's clock.
    func window(_ window: MaintenanceWindow) -> String {
        switch window.kind {
        case .once:
            let from = window.from.map { MonitorFormatting.minute($0, self) } ?? "—"
            let until = window.until.map { MonitorFormatting.minute($0, self) } ?? "—"
            return "• \(from) — \(until)"
        case .weekly:
            let day = window.day.map(weekdayName) ?? "?"
            let zone = window.zone.flatMap(ChatTimeZone.init(named:)) ?? zone
            let abbreviation = zone.abbreviation(at: Date())
            return pick(
                "• каждую неделю: \(day) \(clock(window.startMinute))–\(clock(window.endMinute)) \(abbreviation)",
                "• every week: \(day) \(clock(window.startMinute))–\(clock(window.endMinute)) \(abbreviation)")
        }
    }

    func weekdayName(_ day: Int) -> String {
        let ru = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"]
        let en = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        guard (1...7).contains(day) else { return "?" }
        return pick(ru[day - 1], en[day - 1])
    }

    private func clock(_ minute: Int?) -> String {
        guard let minute else { return "--:--" }
        return String(format: "%02d:%02d", minute / 60, minute % 60)
    }

    func maintenanceSet(until: Date) -> String {
        pick(
            "🛠 Обслуживание до \(MonitorFormatting.minute(until, self)).",
            "🛠 Maintenance until \(MonitorFormatting.minute(until, self)).")
    }
    var maintenanceWeeklySet: String { pick("🛠 Еженедельное окно сохранено.", "🛠 Weekly window saved.") }
    var maintenanceEnded: String { pick("Обслуживание снято.", "Maintenance ended.") }
    func askUntil(zone: ChatTimeZone) -> String {
        pick(
            "До какого времени обслуживание? Например <code>18:30</code> или <code>2026-12-03 18:30</code> (ваш пояс: \(HTML.escape(zone.identifier))). Не дольше недели.",
            "Until when? For example <code>18:30</code> or <code>2026-12-03 18:30</code> (your zone: \(HTML.escape(zone.identifier))). At most a week."
        )
    }
    func askWeekly(zone: ChatTimeZone) -> String {
        pick(
            "Когда каждую неделю? Например <code>вс 02:00-04:00</code> или <code>сб 23:00-01:00</code> (через полночь). Пояс: \(HTML.escape(zone.identifier)).",
            "When every week? For example <code>Sun 02:00-04:00</code> or <code>Sat 23:00-01:00</code> (across midnight). Zone: \(HTML.escape(zone.identifier))."
        )
    }
    func maintenanceRefused(_ refusal: MaintenanceInput.Refusal) -> String {
        switch refusal {
        case .unreadable: pick("Не понял время. Попробуйте ещё раз.", "I could not read that time. Try again.")
        case .zeroLength:
            pick("Окно нулевой длины: начало и конец совпадают.", "A window of zero length: it starts where it ends.")
        case .longerThanAWeek: pick("Дольше недели нельзя.", "It cannot be longer than a week.")
        case .inThePast: pick("Это время уже прошло.", "That time has passed.")
        }
    }
    var tooManyWindows: String {
        pick("Слишком много окон: снимите старые.", "Too many windows: end the old ones first.")
    }
    func inMaintenanceUntil(_ end: Date) -> String {
        pick(
            "🛠 Обслуживание до \(MonitorFormatting.minute(end, self))",
            "🛠 Maintenance until \(MonitorFormatting.minute(end, self))")
    }

    // MARK: Dependencies

    var dependsButton: String { pick("🔗 Зависит от…", "🔗 Depends on…") }
    func dependsTitle(_ monitor: MonitorRecord) -> String {
        pick(
            "🔗 От чего зависит \(HTML.bold(MonitorFormatting.title(monitor)))? Пока то не работает, тревоги о нём не приходят отдельно — они сводятся в тревогу о главном.",
            "🔗 What does \(HTML.bold(MonitorFormatting.title(monitor))) depend on? While that is down, its alerts do not come on their own: they are summed up in the parent's."
        )
    }
    var dependsNone: String { pick("✖️ Ни от чего", "✖️ Nothing") }
    func dependsLine(_ parent: MonitorRecord?) -> String {
        guard let parent else { return pick("🔗 Зависит от: (удалён)", "🔗 Depends on: (deleted)") }
        return pick(
            "🔗 Зависит от: \(HTML.bold(MonitorFormatting.title(parent)))",
            "🔗 Depends on: \(HTML.bold(MonitorFormatting.title(parent)))")
    }
    var dependencyCycle: String {
        pick(
            "Так нельзя: получится круг зависимостей (он зависит от того, кто зависит от него).",
            "Refused: that makes a dependency cycle (it depends on something that depends on it).")
    }
    var dependencySaved: String { pick("Зависимость сохранена.", "Dependency saved.") }
    var dependencyRemoved: String { pick("Зависимость снята.", "Dependency removed.") }
    func acknowledgedLine(_ ack: Acknowledgement) -> String {
        pick(
            "✋ В работе: \(HTML.escape(ack.byName)), \(MonitorFormatting.timestamp(ack.at, self))",
            "✋ Acknowledged by \(HTML.escape(ack.byName)) at \(MonitorFormatting.timestamp(ack.at, self))")
    }
}
