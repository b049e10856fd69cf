import FSM
import HumanFormatting
import TelegramAPI

/// Every route of the bot, in priority order: commands first, then buttons, then dialog steps.
public enum BotRoutes {
    static let menuMonitoring = Language.allCases.map { Texts(language: $0).menuMonitoring }
    static let menuSettings = Language.allCases.map { Texts(language: $0).menuSettings }
    static let menuHelp = Language.allCases.map { Texts(language: $0).menuHelp }

    public static func all() -> Router {
        var r = Router()
        // What a user who has not signed in may do: start, share their number, read help.
        r.on(.command("start"), name: "start", anonymous: true, StartHandlers.start)
        r.on(.contact, name: "contact", anonymous: true, StartHandlers.contact)
        r.on(.command("help"), name: "help", anonymous: true, StartHandlers.help)
        r.on(.text(menuHelp), name: "help", anonymous: true, StartHandlers.help)
        r.on(.command("cancel"), name: "cancel", StartHandlers.cancel)
        r.on(.callback(prefix: CallbackData.cancel), name: "cancel", StartHandlers.cancel)
        r.on(.command("monitoring"), name: "monitoring", MonitoringHandlers.list)
        r.on(.text(menuMonitoring), name: "monitoring", MonitoringHandlers.list)
        r.on(.command("add"), name: "add", AddMonitorDialog.start)
        r.on(.command("export"), name: "export", ExportImportHandlers.exportCommand)
        r.on(.document, name: "import", ExportImportHandlers.importDocument)
        r.on(.command("settings"), name: "settings", SettingsHandlers.show)
        r.on(.text(menuSettings), name: "settings", SettingsHandlers.show)
        r.on(.command("users"), name: "users", AdminHandlers.list)
        r.on(.command("status"), name: "status", StatusHandlers.show)

        r.on(.callback(prefix: CallbackData.listPage), name: "list", MonitoringHandlers.list)
        r.on(.callback(prefix: CallbackData.open), name: "open", MonitoringHandlers.open)
        r.on(.callback(prefix: CallbackData.add), name: "add", AddMonitorDialog.start)
        r.on(.callback(prefix: CallbackData.export), name: "export", ExportImportHandlers.exportButton)
        r.on(.callback(prefix: CallbackData.bulkDone), name: "add.done", AddMonitorDialog.done)
        r.on(
            .all([.callback(prefix: CallbackData.kind), .state(AddMonitorDialog.kind)]), name: "add.kind",
            AddMonitorDialog.chooseKind)
        r.on(
            .all([.callback(prefix: CallbackData.skipName), .state(AddMonitorDialog.name)]), name: "add.skip",
            AddMonitorDialog.skipName)
        r.on(.callback(prefix: CallbackData.rename), name: "rename", EditMonitorDialog.startRename)
        r.on(.callback(prefix: CallbackData.retarget), name: "retarget", EditMonitorDialog.startRetarget)
        r.on(.callback(prefix: CallbackData.pause), name: "pause", MonitoringHandlers.pause)
        r.on(.callback(prefix: CallbackData.resume), name: "resume", MonitoringHandlers.resume)
        r.on(.callback(prefix: CallbackData.askDelete), name: "delete.ask", MonitoringHandlers.askDelete)
        r.on(.callback(prefix: CallbackData.confirmDelete), name: "delete", MonitoringHandlers.confirmDelete)
        for prefix in [
            CallbackData.settingsLanguage, CallbackData.settingsFailures, CallbackData.settingsInterval,
            CallbackData.settingsMute,
        ] {
            r.on(.callback(prefix: prefix), name: "settings.change", SettingsHandlers.change)
        }
        r.on(.callback(prefix: CallbackData.settingsCertificates), name: "settings.change", SettingsHandlers.change)
        r.on(.callback(prefix: CallbackData.monitorSettings), name: "monitor.settings", MonitorSettingsDialog.show)
        r.on(.callback(prefix: CallbackData.monitorSettingAsk), name: "monitor.settings.ask", MonitorSettingsDialog.ask)
        r.on(
            .callback(prefix: CallbackData.monitorSettingReset), name: "monitor.settings.reset",
            MonitorSettingsDialog.reset)
        r.on(
            .callback(prefix: CallbackData.monitorMethod), name: "monitor.settings.method",
            MonitorSettingsDialog.toggleMethod)
        r.on(
            .callback(prefix: CallbackData.monitorKeywordMode), name: "monitor.settings.keyword",
            MonitorSettingsDialog.toggleKeywordMode)
        r.on(.callback(prefix: CallbackData.settingsReminder), name: "settings.change", SettingsHandlers.change)
        r.on(.callback(prefix: CallbackData.settingsZoneChoice), name: "settings.zone", TimeZoneSettings.choose)
        r.on(.callback(prefix: CallbackData.settingsZone), name: "settings.zone", TimeZoneSettings.start)
        r.on(.callback(prefix: CallbackData.alertOpen), name: "alert.open", AlertActionHandlers.open)
        r.on(.callback(prefix: CallbackData.alertAcknowledge), name: "alert.ack", AlertActionHandlers.acknowledge)
        r.on(
            .callback(prefix: CallbackData.alertMaintenance), name: "alert.maintenance",
            AlertActionHandlers.maintenanceHour)
        r.on(.callback(prefix: CallbackData.alertPause), name: "alert.pause", AlertActionHandlers.pause)
        r.on(.callback(prefix: CallbackData.maintenanceMenu), name: "maintenance", MaintenanceHandlers.menu)
        r.on(.callback(prefix: CallbackData.maintenanceFor), name: "maintenance.for", MaintenanceHandlers.setFor)
        r.on(
            .callback(prefix: CallbackData.maintenanceUntil), name: "maintenance.until", MaintenanceHandlers.startUntil)
        r.on(
            .callback(prefix: CallbackData.maintenanceWeekly), name: "maintenance.weekly",
            MaintenanceHandlers.startWeekly)
        r.on(.callback(prefix: CallbackData.maintenanceEnd), name: "maintenance.end", MaintenanceHandlers.end)
        r.on(.callback(prefix: CallbackData.dependsMenu), name: "depends", DependencyHandlers.menu)
        r.on(.callback(prefix: CallbackData.dependsSet), name: "depends.set", DependencyHandlers.set)
        r.on(.callback(prefix: CallbackData.usersPage), name: "users", AdminHandlers.list)
        r.on(.callback(prefix: CallbackData.userOpen), name: "users.open", AdminHandlers.open)
        for prefix in [
            CallbackData.userApprove, CallbackData.userDeny, CallbackData.userRevoke, CallbackData.userMakeAdmin,
        ] {
            r.on(.callback(prefix: prefix), name: "users.decide", AdminHandlers.decide)
        }
        r.on(.callback(prefix: CallbackData.noop), name: "noop") { $0.answer() }

        r.on(
            .all([.anyText, .state(AddMonitorDialog.kind)]), name: "add.kind.typed", AddMonitorDialog.typedInsteadOfKind
        )
        r.on(.all([.anyText, .state(AddMonitorDialog.target)]), name: "add.target", AddMonitorDialog.receiveTarget)
        r.on(.all([.anyText, .state(AddMonitorDialog.name)]), name: "add.name", AddMonitorDialog.receiveName)
        r.on(.all([.anyText, .state(EditMonitorDialog.name)]), name: "edit.name", EditMonitorDialog.receiveName)
        r.on(.all([.anyText, .state(EditMonitorDialog.target)]), name: "edit.target", EditMonitorDialog.receiveTarget)
        r.on(
            .all([.anyText, .state(MonitorSettingsDialog.value)]), name: "monitor.settings.value",
            MonitorSettingsDialog.receive)
        r.on(
            .all([.anyText, .state(MaintenanceHandlers.until)]), name: "maintenance.until",
            MaintenanceHandlers.receiveUntil)
        r.on(
            .all([.anyText, .state(MaintenanceHandlers.weekly)]), name: "maintenance.weekly",
            MaintenanceHandlers.receiveWeekly)
        r.on(.all([.anyText, .state(TimeZoneSettings.typing)]), name: "settings.zone", TimeZoneSettings.receive)
        return r
    }

    /// The "/" menu, per language.
    public static func commands(_ language: Language) -> [BotCommand] {
        let t = Texts(language: language)
        return [
            BotCommand("monitoring", description: t.pick("Мои устройства и сайты", "My devices and sites")),
            BotCommand("add", description: t.pick("Добавить устройство или сайт", "Add a device or a site")),
            BotCommand(
                "export",
                description: t.pick(
                    "Выгрузить список в файл (JSON, /export csv)", "Export the list as a file (JSON, /export csv)")),
            BotCommand("status", description: t.pick("Сводка: что работает, что нет", "Summary: what is up and down")),
            BotCommand("settings", description: t.pick("Настройки", "Settings")),
            BotCommand("help", description: t.pick("Помощь", "Help")),
            BotCommand("cancel", description: t.pick("Отменить текущий диалог", "Cancel the current dialog")),
            BotCommand("start", description: t.pick("Начать / войти", "Start / sign in")),
        ]
    }
}
