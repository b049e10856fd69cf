import HumanFormatting

/// Why the target policy refuses an address or host name; its description is the one line the
/// owner reads (in the chat and in the check's failure) and names the rule that refused it.
public struct TargetRefusal: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Rule: Sendable, Hashable, Codable {
        /// Matched an entry of TARGET_DENY (a range or a name suffix, as written).
        case targetDeny(entry: String)
        /// TARGET_ALLOW is set and matched neither the address nor the name.
        case notInTargetAllow
        /// One of the built-in denied ranges (link-local, "this network").
        case builtIn(range: String)
        /// The bot's own MongoDB server (from MONGODB_URI).
        case botDatabase
        /// Loopback (127.0.0.0/8, ::1) is for admins only.
        case loopbackForAdminsOnly
    }

    public var rule: Rule
    /// The address (or name) that was judged.
    public var subject: String

    public init(rule: Rule, subject: String) {
        self.rule = rule
        self.subject = subject
    }

    public var description: String {
        switch rule {
        case .targetDeny(let entry): "\(subject) is denied by TARGET_DENY (\(entry))"
        case .notInTargetAllow: "\(subject) is not in TARGET_ALLOW"
        case .builtIn(let range): "\(subject) is denied by the target policy (\(range) is never checked)"
        case .botDatabase: "\(subject) is denied by the target policy (the bot's own MongoDB host)"
        case .loopbackForAdminsOnly: "\(subject) is denied by the target policy (loopback is for admins only)"
        }
    }

    /// The same line for the owner, in their language (the English one is also what logs say).
    public func description(in language: Language) -> String {
        guard language == .ru else { return description }
        return switch rule {
        case .targetDeny(let entry): "\(subject) запрещён настройкой TARGET_DENY (\(entry))"
        case .notInTargetAllow: "\(subject) не входит в TARGET_ALLOW"
        case .builtIn(let range): "\(subject) запрещён политикой адресов (\(range) не проверяется никогда)"
        case .botDatabase: "\(subject) запрещён политикой адресов (это сервер MongoDB самого бота)"
        case .loopbackForAdminsOnly: "\(subject) запрещён политикой адресов (loopback — только для администраторов)"
        }
    }
}
