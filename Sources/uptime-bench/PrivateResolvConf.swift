import ArgumentParser
import Foundation
import Glibc

/// Points this process's system resolver (getaddrinfo reads /etc/resolv.conf) at a nameserver of the
/// bench's own without touching the machine's file: the bench re-executes itself in a private mount
/// namespace (`unshare --mount --propagation private`, root only), and there bind-mounts a temporary
/// resolv.conf over /etc/resolv.conf. Nothing outside the namespace sees the mount; when the bench
/// exits, the namespace and the mount are gone.
enum PrivateResolvConf {
    /// Set by the parent to its own mount namespace, so the child can prove it is in another one.
    private static let parentNamespaceVariable = "UPTIME_BENCH_PARENT_MOUNT_NS"

    /// In a private mount namespace already? If not, replaces this process with itself run under
    /// `unshare` (this call then never returns); the re-executed bench returns here with `true`.
    static func enterPrivateMountNamespace() throws -> Bool {
        let own = try mountNamespace()
        if let parent = ProcessInfo.processInfo.environment[parentNamespaceVariable] {
            guard parent != own else {
                throw ValidationError("still in the machine's mount namespace after unshare: refusing to mount")
            }
            return true
        }
        guard getuid() == 0 else { throw ValidationError("a private mount namespace needs root (unshare --mount)") }
        let unshare = "/usr/bin/unshare"
        guard FileManager.default.isExecutableFile(atPath: unshare) else {
            throw ValidationError("\(unshare) is missing (apt-get install util-linux)")
        }
        let me = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let arguments = [unshare, "--mount", "--propagation", "private", "--", me] + CommandLine.arguments.dropFirst()
        var environment = ProcessInfo.processInfo.environment
        environment[parentNamespaceVariable] = own
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        execve(unshare, argv, envp)
        throw ValidationError("could not run \(unshare): \(String(cString: strerror(errno)))")
    }

    /// Inside the private namespace: /etc/resolv.conf now lists `nameserver` alone (port 53, glibc's
    /// default timeout and attempts, no search list).
    static func pointSystemResolver(at nameserver: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("isolation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("resolv.conf")
        try "nameserver \(nameserver)\n".write(to: file, atomically: true, encoding: .utf8)
        guard Glibc.mount(file.path, "/etc/resolv.conf", nil, UInt(MS_BIND), nil) == 0 else {
            throw ValidationError("could not bind a private resolv.conf: \(String(cString: strerror(errno)))")
        }
        let seen = (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? ""
        guard seen == "nameserver \(nameserver)\n" else {
            throw ValidationError("/etc/resolv.conf does not show the private file after the bind mount")
        }
    }

    private static func mountNamespace() throws -> String {
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/mnt")
        guard link.hasPrefix("mnt:") else { throw ValidationError("cannot read /proc/self/ns/mnt") }
        return link
    }
}
