import ArgumentParser

/// Every benchmark subcommand; add yours here (one line).
enum BenchmarkRegistry {
    static let all: [any ParsableCommand.Type] = [
        ICMPBenchmark.self,
        HTTPBenchmark.self,
        MemoryBenchmark.self,
        FSMBenchmark.self,
        BotBenchmark.self,
        StormBenchmark.self,
        IsolationBenchmark.self,
        TCPBenchmark.self,
        DNSBenchmark.self,
        ClusterBenchmark.self,
    ]
}
