import ArgumentParser
import Cluster
import Logging

/// `uptime-bot status`: the cluster as MongoDB holds it (instances, leases, partitions, heartbeats).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Print the cluster: instances, leases, partitions, last heartbeats.")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let settings = try await Settings.loadOrExit(envFile: options.envFile, requireToken: false)
        guard settings.mongoURI != nil else {
            print("storage: memory (MONGODB_URI not set): one instance, every lease held by it")
            return
        }
        let logger = AppLogging.bootstrap(level: .warning)
        let storage: StorageBootstrap
        do {
            storage = try await StorageBootstrap.open(settings, logger: logger)
        } catch {
            throw exitWithStartupFailure(error.message, code: error.retryable ? 1 : 2)
        }
        guard let database = storage.database else { return }
        let mode = settings.cluster.isEnabled(uri: settings.mongoURI) ? "on" : "off (CLUSTER=\(settings.cluster))"
        print("cluster: \(mode)")
        do {
            print(try await ClusterStatus.read(database).text)
        } catch {
            throw exitWithStartupFailure("MongoDB: cannot read instances and leases: \(error)", code: 1)
        }
        await storage.client?.shutdown()
    }
}
