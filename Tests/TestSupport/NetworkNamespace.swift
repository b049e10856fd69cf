import Foundation
import Synchronization

/// A throwaway network namespace joined to this host by a veth pair, for tests that need hosts
/// which answer over a real link, or never answer at all. Needs root (or CAP_NET_ADMIN).
///
///     host  10.200.N.1/30 ──veth── 10.200.N.2/30  namespace (answers ping)
///     10.200.N.8/29 is routed into the namespace and blackholed there: echo requests leave, nothing comes back.
///
/// Always remove it: `NetworkNamespace.with { ... }` does, even when the body throws.
public struct NetworkNamespace: Sendable {
    public let name: String
    /// This host's end of the veth pair.
    public let hostAddress: String
    /// The namespace's end of the veth pair; answers echo requests.
    public let namespaceAddress: String
    /// Routed into the namespace and dropped there by a blackhole route: never answer.
    public let silentAddresses: [String]
    private let hostInterface: String
    private let subnet: Int

    /// 10.200.N.0/24 blocks handed out in this process, so parallel tests never share one.
    private static let subnetsInUse = Mutex<Set<Int>>([])

    /// Creates a namespace; on any failure whatever was made is removed before the error is thrown.
    public static func create() async throws -> NetworkNamespace {
        var lastError: (any Error)?
        for _ in 0..<8 {
            guard
                let subnet = subnetsInUse.withLock({ used -> Int? in
                    let free = (0..<250).filter { !used.contains($0) }
                    guard let pick = free.randomElement() else { return nil }
                    used.insert(pick)
                    return pick
                })
            else { break }
            let tag = String(UInt32.random(in: 0 ... .max), radix: 16)
            let namespace = NetworkNamespace(name: "uptimebot-test-\(tag)", tag: tag, subnet: subnet)
            do {
                try await namespace.setUp()
                return namespace
            } catch {
                // Another process may hold the same 10.200.N.0/24 ("File exists"): try another block.
                lastError = error
                await namespace.remove()
            }
        }
        throw lastError ?? NetworkNamespaceError.noFreeSubnet
    }

    /// Runs `body` with a fresh namespace and removes the namespace afterwards, whatever happens.
    public static func with<Result: Sendable>(_ body: (NetworkNamespace) async throws -> Result) async throws -> Result
    {
        let namespace = try await create()
        do {
            let result = try await body(namespace)
            await namespace.remove()
            return result
        } catch {
            await namespace.remove()
            throw error
        }
    }

    private init(name: String, tag: String, subnet: Int) {
        self.name = name
        self.subnet = subnet
        hostInterface = "ubh\(tag)"
        hostAddress = "10.200.\(subnet).1"
        namespaceAddress = "10.200.\(subnet).2"
        silentAddresses = (9...14).map { "10.200.\(subnet).\($0)" }
    }

    private var namespaceInterface: String { "ubn" + hostInterface.dropFirst(3) }

    /// The namespace's end of the veth pair (for `tc` inside the namespace).
    var vethInNamespace: String { namespaceInterface }

    private func setUp() async throws {
        let prefix = "10.200.\(subnet)"
        try await Self.ip(["netns", "add", name])
        try await Self.ip(["link", "add", hostInterface, "type", "veth", "peer", "name", namespaceInterface])
        try await Self.ip(["link", "set", namespaceInterface, "netns", name])
        try await Self.ip(["addr", "add", "\(hostAddress)/30", "dev", hostInterface])
        try await Self.ip(["link", "set", hostInterface, "up"])
        try await Self.ip(["-n", name, "addr", "add", "\(namespaceAddress)/30", "dev", namespaceInterface])
        try await Self.ip(["-n", name, "link", "set", namespaceInterface, "up"])
        try await Self.ip(["-n", name, "link", "set", "lo", "up"])
        try await Self.ip(["route", "add", "\(prefix).8/29", "via", namespaceAddress])
        try await Self.ip(["-n", name, "route", "add", "blackhole", "\(prefix).8/29"])
    }

    /// Deletes the namespace; its veth end goes with it, taking the host's end and route along.
    public func remove() async {
        _ = try? await Self.ip(["netns", "delete", name])
        _ = try? await Self.ip(["link", "delete", hostInterface], quietly: true)
        _ = Self.subnetsInUse.withLock { $0.remove(subnet) }
    }

    /// Runs a command inside the namespace (`ip netns exec`); returns its standard output.
    @discardableResult
    public func run(_ arguments: [String]) async throws -> String {
        try await Self.ip(["netns", "exec", name] + arguments)
    }

    @discardableResult
    private static func ip(_ arguments: [String], quietly: Bool = false) async throws -> String {
        try await Self.execute("/usr/sbin/ip", arguments)
    }

    /// Runs a program to completion without blocking a cooperative thread. Spawned with
    /// posix_spawn and polled (`ServerProcess`): Foundation's Process can miss a child's exit when
    /// many run at once, and its termination handler then never fires.
    static func execute(_ path: String, _ arguments: [String]) async throws -> String {
        let command = ([path] + arguments).joined(separator: " ")
        let stderrPath = FileManager.default.temporaryDirectory.appendingPathComponent("netns-\(UUID().uuidString).log")
            .path
        defer { try? FileManager.default.removeItem(atPath: stderrPath) }
        let process = try ServerProcess(
            name: path, executable: path, arguments: arguments, captureOutput: true, stderrPath: stderrPath)
        let (stdout, status) = await process.collectOutput(timeout: .seconds(60))
        guard let status else {
            process.stop(grace: .zero)
            throw NetworkNamespaceError.commandFailed(
                command: command, status: -1, message: "did not finish within 60 s")
        }
        guard status == 0 else {
            let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
            throw NetworkNamespaceError.commandFailed(
                command: command, status: status,
                message: stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return stdout
    }
}

public enum NetworkNamespaceError: Error, CustomStringConvertible {
    case commandFailed(command: String, status: Int32, message: String)
    case noFreeSubnet

    public var description: String {
        switch self {
        case .commandFailed(let command, let status, let message): "`\(command)` exited \(status): \(message)"
        case .noFreeSubnet: "no free 10.200.N.0/24 block for a test namespace"
        }
    }
}
