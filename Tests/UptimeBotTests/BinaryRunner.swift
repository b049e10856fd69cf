import Foundation
import TestSupport

/// The `uptime-bot` binary built next to this test bundle.
enum UptimeBotBinary {
    static var path: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("uptime-bot").path
    }

    /// A minimal environment: the binary sees only what a test gives it (no proxy or LOG_LEVEL of ours).
    static func environment(_ extra: [String: String]) -> [String: String] {
        ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"].merging(extra) { $1 }
    }

    /// Writes `lines` to a new env file of mode `mode`; its path.
    static func envFile(_ lines: [String], mode: Int16 = 0o600) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("uptime-bot-\(UUID().uuidString).env")
            .path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }
}
