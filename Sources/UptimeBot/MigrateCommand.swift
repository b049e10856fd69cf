import ArgumentParser
import Logging

/// `uptime-bot migrate`: applies schema migrations and exits (start-up does the same).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply MongoDB schema migrations and exit.")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let settings = try await Settings.loadOrExit(envFile: options.envFile, requireToken: false)
        guard settings.mongoURI != nil else {
            throw exitWithStartupFailure("MONGODB_URI: is not set; nothing to migrate")
        }
        let logger = AppLogging.bootstrap(level: settings.logLevel)
        let storage: StorageBootstrap
        do {
            storage = try await StorageBootstrap.open(settings, logger: logger)
        } catch {
            throw exitWithStartupFailure(error.message, code: error.retryable ? 1 : 2)
        }
        await storage.client?.shutdown()
    }
}
