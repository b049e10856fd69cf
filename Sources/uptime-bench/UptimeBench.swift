import ArgumentParser

/// `uptime-bench <name>`: each benchmark prints its figures, with the peer tool beside them where one exists.
@main
struct UptimeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uptime-bench",
        abstract: "Benchmarks for UptimeBot: run with `swift run -c release uptime-bench <name>`.",
        subcommands: BenchmarkRegistry.all
    )
}
