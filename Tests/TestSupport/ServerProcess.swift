import Foundation
import Synchronization

/// A server started by a test as a child process (python origin server, squid, nginx...), stopped by `stop()`.
///
/// Spawned with posix_spawn rather than Foundation's Process: the calling thread is often a
/// cooperative-pool thread with nearly every signal blocked, and Process hands that mask (and
/// ignored SIGPIPE) to the child, which then ignores SIGTERM. Here the child starts with defaults.
public final class ServerProcess: Sendable {
    private struct Child {
        var exitStatus: Int32?
    }

    public let name: String
    public let pid: pid_t
    private let stdoutFD: Int32?
    /// Our end of the child's stdin, held open while we live; helpers that read it exit when we die.
    private let stdinFD: Int32
    private let child = Mutex(Child())

    /// Starts `executable`. With `captureOutput` stdout lines can be read with `readLine`; stderr goes
    /// to `stderrPath` when given (kept for failure messages), else to /dev/null.
    public init(
        name: String, executable: String, arguments: [String], environment: [String: String]? = nil,
        captureOutput: Bool = false, stderrPath: String? = nil
    ) throws {
        self.name = name
        var stdinPipe: [Int32] = [-1, -1]
        var stdoutPipe: [Int32] = [-1, -1]
        guard pipe(&stdinPipe) == 0, !captureOutput || pipe(&stdoutPipe) == 0 else {
            throw ServerProcessError("pipe() failed: errno \(errno)")
        }
        // Close-on-exec: only the dup2-ed ends reach this child, and no other child inherits ours
        // (a python server holding our stdin pipe would never see us exit).
        for fd in stdinPipe + stdoutPipe where fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        if captureOutput {
            posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envPairs = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let envp = envPairs.map { strdup($0) } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        close(stdinPipe[0])
        if captureOutput { close(stdoutPipe[1]) }
        guard rc == 0 else {
            close(stdinPipe[1])
            if captureOutput { close(stdoutPipe[0]) }
            throw ServerProcessError("could not start \(executable): errno \(rc)")
        }
        self.pid = pid
        stdinFD = stdinPipe[1]
        stdoutFD = captureOutput ? stdoutPipe[0] : nil
    }

    deinit {
        stop()
        close(stdinFD)
        if let stdoutFD { close(stdoutFD) }
    }

    /// Reaps the child if it has exited; true while it runs.
    public var isRunning: Bool {
        child.withLock { child in
            guard child.exitStatus == nil else { return false }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                child.exitStatus = status
                return false
            }
            return true
        }
    }

    /// The raw wait status once the child has exited.
    public var exitStatus: Int32? { child.withLock { $0.exitStatus } }

    /// One line of the child's stdout, waiting at most `timeout`; nil on EOF or timeout.
    /// Waits with Task.sleep, never blocking a cooperative thread (tests share two of them here).
    public func readLine(timeout: Duration = .seconds(10)) async -> String? {
        guard let fd = stdoutFD else { return nil }
        let deadline = ContinuousClock.now + timeout
        var line: [UInt8] = []
        while ContinuousClock.now < deadline {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 0) > 0 else {
                try? await Task.sleep(for: .milliseconds(10))
                continue
            }
            var byte: UInt8 = 0
            guard read(fd, &byte, 1) == 1 else { return nil }
            if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
        return nil
    }

    /// Waits for the child to exit by itself; its wait status, or nil after `timeout`.
    public func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        return exitStatus
    }

    /// SIGTERM, then SIGKILL if it has not exited within `grace`. Blocks (briefly: servers die on
    /// SIGTERM at once), because deinit must be able to call it.
    public func stop(grace: Duration = .seconds(5)) {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while isRunning && ContinuousClock.now < deadline {
            usleep(10_000)
        }
        if isRunning {
            kill(pid, SIGKILL)
            while isRunning { usleep(10_000) }
        }
    }

    /// SIGTERM, then SIGKILL if it has not exited within `grace`; waits with Task.sleep.
    public func terminate(grace: Duration = .seconds(10)) async {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        if await waitForExit(timeout: grace) == nil {
            kill(pid, SIGKILL)
            _ = await waitForExit(timeout: .seconds(60))
        }
    }

    /// Everything the child writes to stdout until it exits (or `timeout` passes), read as it comes
    /// so a long output cannot fill the pipe and stall the child. Needs `captureOutput`.
    public func collectOutput(timeout: Duration) async -> (output: String, exitStatus: Int32?) {
        guard let fd = stdoutFD else { return ("", await waitForExit(timeout: timeout)) }
        let deadline = ContinuousClock.now + timeout
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var open = true
        while ContinuousClock.now < deadline {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if open, poll(&pfd, 1, 0) > 0 {
                let count = read(fd, &buffer, buffer.count)
                if count > 0 {
                    bytes += buffer[..<count]
                    continue
                }
                open = false  // EOF (or an error): the child closed its stdout
            }
            if !open && !isRunning { break }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return (String(decoding: bytes, as: UTF8.self), exitStatus)
    }

    /// Runs a short-lived command (openssl, nginx -t…) to completion; throws unless it exits 0.
    public static func run(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(60)) async throws {
        let stderrPath = FileManager.default.temporaryDirectory.appendingPathComponent("cmd-\(UUID().uuidString).log")
            .path
        defer { try? FileManager.default.removeItem(atPath: stderrPath) }
        let command = try ServerProcess(
            name: executable, executable: executable, arguments: arguments, stderrPath: stderrPath)
        let deadline = ContinuousClock.now + timeout
        while command.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        guard command.exitStatus == 0 else {
            command.stop(grace: .zero)
            let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
            throw ServerProcessError("\(executable) \(arguments.joined(separator: " ")) failed: \(stderr.suffix(2000))")
        }
    }

    /// A loopback TCP port that was free a moment ago (for servers that cannot report the one they bound).
    public static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerProcessError("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw ServerProcessError("bind to 127.0.0.1:0 failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    public static func isListening(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// Waits until the child listens on `port`; throws if it exits first or `timeout` passes.
    public func waitUntilListening(port: Int, timeout: Duration = .seconds(15), diagnostics: () -> String = { "" })
        async throws
    {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if Self.isListening(port: port) { return }
            guard isRunning else {
                throw ServerProcessError(
                    "\(name) exited (wait status \(exitStatus ?? -1)) before listening on \(port). \(diagnostics())")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ServerProcessError("\(name) did not listen on 127.0.0.1:\(port) within \(timeout). \(diagnostics())")
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}

public struct ServerProcessError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
