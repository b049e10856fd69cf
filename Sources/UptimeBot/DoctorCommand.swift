import ArgumentParser
import Foundation

/// `uptime-bot doctor`: checks what the bot needs before it is started (install.sh runs it), one
/// line per check, each either ok or what to fix; exit code 1 when a check failed.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the settings, MongoDB, Telegram (through the proxy), DNS, ICMP and the health port.",
        discussion: """
            One line per check: "ok" with what was found, or "FAIL" with what to fix. The exit code is 1 when \
            any check failed, 0 otherwise (warnings included).
            """)

    @OptionGroup var options: CommonOptions

    @Option(help: "Seconds each network check may take.")
    var timeout: Int = 10

    func validate() throws {
        if timeout < 1 { throw ValidationError("--timeout must be at least 1 second.") }
    }

    func run() async throws {
        var report = DoctorReport()
        let settings: Settings
        do {
            settings = try await Settings.load(envFile: options.envFile)
        } catch let error as SettingError {
            report.fail("settings", "\(error.description)")
            print(report.rendered)
            throw ExitCode(1)
        }
        report.add(DoctorChecks.envFile(options.envFile))
        let limit = Duration.seconds(timeout)
        report.add(contentsOf: await DoctorChecks.mongo(settings, timeout: limit))
        report.add(await DoctorChecks.telegram(settings, timeout: limit))
        report.add(contentsOf: await DoctorChecks.dns(settings))
        report.add(DoctorChecks.icmp())
        report.add(DoctorChecks.healthPort(settings))
        print(report.rendered)
        if report.failed { throw ExitCode(1) }
    }
}

/// The lines of one doctor run.
struct DoctorReport {
    enum Status: String {
        case ok
        case warn = "WARN"
        case fail = "FAIL"
    }

    struct Line {
        var status: Status
        var check: String
        var detail: String
    }

    private(set) var lines: [Line] = []

    var failed: Bool { lines.contains { $0.status == .fail } }

    mutating func add(_ line: Line) { lines.append(line) }
    mutating func add(contentsOf more: [Line]) { lines += more }
    mutating func fail(_ check: String, _ detail: String) {
        lines.append(Line(status: .fail, check: check, detail: detail))
    }

    var rendered: String {
        let width = lines.map(\.check.count).max() ?? 0
        return lines.map { line in
            let status = line.status.rawValue.padding(toLength: 4, withPad: " ", startingAt: 0)
            return "\(status)  \(line.check.padding(toLength: width, withPad: " ", startingAt: 0))  \(line.detail)"
        }.joined(separator: "\n")
    }
}
