import ArgumentParser

/// Placeholder until the monitor engine lands: `uptime-bot check TARGET…`.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Check targets once and print a table.")
    @Argument var targets: [String] = []
    func run() async throws {}
}
