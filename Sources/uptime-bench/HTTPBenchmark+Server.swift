import ArgumentParser
import Foundation

extension HTTPBenchmark {
    /// nginx or the exporter as a child process, and the CPU-time readings the benchmark compares.
    struct Server {
        let pid: pid_t
        let executable: String

        /// posix_spawn with a clean signal mask: we run on a cooperative-pool thread whose blocked
        /// signals the child would otherwise inherit (and then ignore our SIGTERM).
        init(_ executable: String, _ arguments: [String]) throws {
            guard FileManager.default.isExecutableFile(atPath: executable) else {
                throw ValidationError("\(executable) is missing (apt-get install nginx-light prometheus-blackbox-exporter)")
            }
            self.executable = executable
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var none = sigset_t()
            sigemptyset(&none)
            var all = sigset_t()
            sigfillset(&all)
            posix_spawnattr_setsigmask(&attributes, &none)
            posix_spawnattr_setsigdefault(&attributes, &all)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            let argv = ([executable] + arguments).map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var pid: pid_t = 0
            let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
            guard rc == 0 else { throw ValidationError("cannot start \(executable): errno \(rc)") }
            self.pid = pid
        }

        func waitUntilListening(port: Int) async throws {
            let deadline = ContinuousClock.now + .seconds(15)
            while ContinuousClock.now < deadline {
                if Self.isListening(port: port) { return }
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid {
                    throw ValidationError("\(executable) exited (wait status \(status)) before listening on \(port)")
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            throw ValidationError("\(executable) did not listen on 127.0.0.1:\(port)")
        }

        func stop() {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            for _ in 0..<200 where waitpid(pid, &status, WNOHANG) == 0 { usleep(10_000) }
            if waitpid(pid, &status, WNOHANG) == 0 {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
            }
        }

        /// utime + stime of another process from /proc/<pid>/stat (fields 14 and 15, in clock ticks).
        static func cpuTime(of pid: pid_t) throws -> Duration {
            let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
            // The command name (field 2) may hold spaces; fields are counted after its closing ")".
            guard let close = stat.lastIndex(of: ")") else { throw ValidationError("unreadable /proc/\(pid)/stat") }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else {
                throw ValidationError("unreadable /proc/\(pid)/stat")
            }
            let ticks = Int(sysconf(Int32(_SC_CLK_TCK)))
            return .milliseconds((user + system) * 1000 / max(1, ticks))
        }

        static func freeLoopbackPort() throws -> Int {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw ValidationError("socket() failed") }
            defer { close(fd) }
            var address = loopback(port: 0)
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let ok = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
            }
            guard ok else { throw ValidationError("cannot bind 127.0.0.1:0") }
            return Int(UInt16(bigEndian: address.sin_port))
        }

        static func isListening(port: Int) -> Bool {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            var address = loopback(port: port)
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
        }

        private static func loopback(port: Int) -> sockaddr_in {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            return address
        }
    }
}
