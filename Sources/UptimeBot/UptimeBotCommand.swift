import ArgumentParser

/// `uptime-bot`: the bot (`run`, the default), a one-shot reachability check, schema migration, and `doctor`.
@main
struct UptimeBotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uptime-bot",
        abstract:
            "A Telegram bot that watches devices (ICMP) and sites (HTTP) and tells their owners when they go down.",
        subcommands: [RunCommand.self, CheckCommand.self, MigrateCommand.self, DoctorCommand.self, StatusCommand.self],
        defaultSubcommand: RunCommand.self
    )
}

/// Options every subcommand shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "An env file with settings (KEY=value lines); the environment wins over it.")
    var envFile: String = ".env"
}
