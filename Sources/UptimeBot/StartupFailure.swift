import ArgumentParser
import Foundation

/// Ends the process the way operators want: one line on stderr naming the setting, a non-zero
/// exit code, no stack trace, no secret.
func exitWithStartupFailure(_ message: String, code: Int32 = 2) -> ExitCode {
    FileHandle.standardError.write(Data("uptime-bot: \(message)\n".utf8))
    return ExitCode(code)
}
