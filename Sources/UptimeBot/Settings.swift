import Bot
import Checks
import Configuration
import Foundation
import HumanFormatting
import Logging
import Storage
import SystemPackage
import TelegramAPI

/// A setting that cannot be used: the message names it and never repeats a secret's value.
struct SettingError: Error, CustomStringConvertible {
    let setting: String
    let problem: String
    var description: String { "\(setting): \(problem)" }
}

/// Everything the operator configures, from the environment and an optional env file.
/// The process environment wins over the file, as with docker compose.
struct Settings: Sendable {
    var botToken: BotToken
    var telegramAPIURL: String
    var telegramProxy: String?
    var mongoURI: String?
    var mongoDatabase: String
    /// True when MONGODB_DATABASE was given; otherwise the URI's database (if any) wins over the default.
    var mongoDatabaseExplicit: Bool
    var fsmCollection: String
    /// CLUSTER: whether this instance coordinates with others through leases (see `ClusterSetting`).
    var cluster: ClusterSetting
    /// INSTANCE_NAME: how this instance is named in `instances`, leases and logs (the host name by default).
    var instanceName: String
    /// Seconds a conversation's state stays cached in the bot after it was read from MongoDB; 0 = no cache.
    var fsmCacheSeconds: Int
    var logLevel: Logger.Level
    var healthHost: String
    var healthPort: Int
    var checkInterval: Int
    var failuresBeforeAlert: Int
    var successesBeforeRecovery: Int
    /// nil = libcurl's environment proxies; "none" = direct; else a proxy URL.
    var checkProxy: String?
    var checkHistoryDays: Int
    var allowedPhones: [String]
    var adminIDs: [Int64]
    /// How people not listed in ALLOWED_PHONES / ADMIN_IDS get in.
    var signup: SignupPolicy
    /// Days admin actions stay in `audit`.
    var auditRetentionDays: Int
    var maxMonitorsPerUser: Int
    /// Monitors one user may add per minute.
    var maxAddsPerMinute: Int
    /// Seconds: the shortest check interval anyone gets.
    var minCheckInterval: Int
    var canaryTargets: [String]
    var pingProbes: Int
    var checkTimeout: Int
    var checkConcurrency: Int
    /// TELEGRAM_MAX_PER_SECOND, TELEGRAM_MAX_PER_CHAT_PER_SECOND: Telegram's limits unless a local Bot
    /// API server or paid broadcasts allow more.
    var telegramLimits: SendRateLimits
    /// TARGET_ALLOW / TARGET_DENY: what checks may reach (see `TargetPolicy`).
    var targetAllow: TargetPolicy.Rules
    var targetDeny: TargetPolicy.Rules
    /// TZ: the zone the chat writes times in for users who chose none (UTC when unset).
    var timeZone: ChatTimeZone

    static let secrets: Set<String> = [
        "BOT_TOKEN", "MONGODB_URI", "TELEGRAM_PROXY", "HTTPS_PROXY", "HTTP_PROXY", "CHECK_PROXY",
    ]

    /// Reads the settings, or ends the process with one line naming the bad setting.
    static func loadOrExit(envFile: String?, requireToken: Bool = true) async throws -> Settings {
        do {
            return try await load(envFile: envFile, requireToken: requireToken)
        } catch let error as SettingError {
            throw exitWithStartupFailure(error.description)
        }
    }

    /// Reads the settings. `requireToken` is false for commands that do not talk to Telegram.
    static func load(envFile: String?, requireToken: Bool = true) async throws -> Settings {
        var providers: [any ConfigProvider] = [EnvironmentVariablesProvider(secretsSpecifier: .specific(secrets))]
        if let envFile {
            if envFile != ".env", !FileManager.default.fileExists(atPath: envFile) {
                throw SettingError(setting: "--env-file", problem: "no such file: \(envFile)")
            }
            do {
                providers.append(
                    try await EnvironmentVariablesProvider(
                        environmentFilePath: FilePath(envFile), allowMissing: envFile == ".env",
                        secretsSpecifier: .specific(secrets)))
            } catch {
                throw SettingError(
                    setting: "--env-file", problem: "cannot read \(envFile) (expected KEY=value lines): \(error)")
            }
        }
        let reader = SettingsReader(config: ConfigReader(providers: providers))
        exportProxyVariables(from: reader)
        return try Settings(reader: reader, requireToken: requireToken)
    }

    init(reader r: SettingsReader, requireToken: Bool) throws {
        let token = r.string("BOT_TOKEN") ?? ""
        if requireToken {
            guard !token.isEmpty else {
                throw SettingError(setting: "BOT_TOKEN", problem: "is not set (get one from @BotFather)")
            }
            guard BotToken(token).isWellFormed else {
                throw SettingError(
                    setting: "BOT_TOKEN", problem: "does not look like a bot token (expected <digits>:<secret>)")
            }
        }
        botToken = BotToken(token)
        telegramAPIURL = try r.url("TELEGRAM_API_URL", default: "https://api.telegram.org")
        telegramProxy = try r.optionalURL("TELEGRAM_PROXY")
        mongoURI = r.string("MONGODB_URI")
        if let uri = mongoURI, !(uri.hasPrefix("mongodb://") || uri.hasPrefix("mongodb+srv://")) {
            throw SettingError(setting: "MONGODB_URI", problem: "must start with mongodb:// or mongodb+srv://")
        }
        mongoDatabase = r.string("MONGODB_DATABASE") ?? "uptimebot"
        mongoDatabaseExplicit = r.string("MONGODB_DATABASE") != nil
        fsmCollection = r.string("FSM_COLLECTION") ?? "fsm_states"
        let clusterValue = (r.string("CLUSTER") ?? ClusterSetting.auto.rawValue).lowercased()
        guard let parsedCluster = ClusterSetting(rawValue: clusterValue) else {
            throw SettingError(setting: "CLUSTER", problem: "\"\(clusterValue)\" is not one of auto, on, off")
        }
        if parsedCluster == .on, mongoURI == nil {
            throw SettingError(setting: "CLUSTER", problem: "on needs MONGODB_URI (leases live in MongoDB)")
        }
        cluster = parsedCluster
        instanceName = r.string("INSTANCE_NAME") ?? ProcessInfo.processInfo.hostName
        fsmCacheSeconds = try r.int("FSM_CACHE_SECONDS", default: 60, range: 0...86_400)
        logLevel = try Self.parseLogLevel(r.string("LOG_LEVEL") ?? "info")
        healthHost = r.string("HEALTH_HOST") ?? "0.0.0.0"
        healthPort = try r.int("HEALTH_PORT", default: 8080, range: 0...65535)
        checkInterval = try r.int("CHECK_INTERVAL", default: OperatorDefaults.checkIntervalSeconds, range: 5...86_400)
        failuresBeforeAlert = try r.int(
            "FAILURES_BEFORE_ALERT", default: OperatorDefaults.failuresBeforeAlert, range: 1...100)
        successesBeforeRecovery = try r.int(
            "SUCCESSES_BEFORE_RECOVERY", default: OperatorDefaults.successesBeforeRecovery, range: 1...100)
        let proxy = r.string("CHECK_PROXY")
        if let proxy, proxy.lowercased() != "none" { _ = try r.url("CHECK_PROXY", default: proxy) }
        checkProxy = proxy
        checkHistoryDays = try r.int("CHECK_HISTORY_DAYS", default: 30, range: 1...3650)
        allowedPhones = r.list("ALLOWED_PHONES").map(UserRecord.normalizedPhone)
        adminIDs = try r.list("ADMIN_IDS").map { item in
            guard let id = Int64(item) else {
                throw SettingError(setting: "ADMIN_IDS", problem: "\"\(item)\" is not a Telegram user id")
            }
            return id
        }
        let signupValue = (r.string("SIGNUP") ?? SignupPolicy.default.rawValue).lowercased()
        guard let parsedSignup = SignupPolicy(rawValue: signupValue) else {
            throw SettingError(
                setting: "SIGNUP",
                problem:
                    "\"\(signupValue)\" is not one of \(SignupPolicy.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        signup = parsedSignup
        auditRetentionDays = try r.int("AUDIT_RETENTION_DAYS", default: 365, range: 1...3650)
        maxMonitorsPerUser = try r.int("MAX_MONITORS_PER_USER", default: 100, range: 1...100_000)
        maxAddsPerMinute = try r.int(
            "MAX_ADDS_PER_MINUTE", default: BotSettings().maxAddsPerMinute, range: 1...10_000)
        minCheckInterval = try r.int("MIN_CHECK_INTERVAL", default: BotSettings().minCheckInterval, range: 5...86_400)
        guard checkInterval >= minCheckInterval else {
            throw SettingError(
                setting: "CHECK_INTERVAL", problem: "\(checkInterval) is below MIN_CHECK_INTERVAL (\(minCheckInterval))"
            )
        }
        canaryTargets = r.list("CANARY_TARGETS")
        pingProbes = try r.int("PING_PROBES", default: 3, range: 1...20)
        checkTimeout = try r.int("CHECK_TIMEOUT", default: OperatorDefaults.checkTimeoutSeconds, range: 1...300)
        checkConcurrency = try r.int("CHECK_CONCURRENCY", default: 200, range: 1...5_000)
        let defaults = SendRateLimits.telegramDefaults
        telegramLimits = SendRateLimits(
            perSecond: try r.number(
                "TELEGRAM_MAX_PER_SECOND", default: defaults.globalPerSecond, range: 0.1...100_000),
            perChatPerSecond: try r.number(
                "TELEGRAM_MAX_PER_CHAT_PER_SECOND", default: defaults.perChatPerSecond, range: 0.01...1_000))
        targetAllow = try r.targetRules("TARGET_ALLOW")
        targetDeny = try r.targetRules("TARGET_DENY")
        timeZone = try Self.parseTimeZone(r.string("TZ"))
    }

    /// TZ's value: an IANA zone ("Europe/Moscow"; a leading ":" as libc allows); a name that does not
    /// exist is refused with the nearest ones.
    static func parseTimeZone(_ raw: String?) throws(SettingError) -> ChatTimeZone {
        guard var name = raw?.trimmingCharacters(in: .whitespaces), !name.isEmpty else { return .utc }
        if name.hasPrefix(":") { name.removeFirst() }
        if let zone = ChatTimeZone(named: name) { return zone }
        let near = ChatTimeZone.suggestions(for: name)
        throw SettingError(
            setting: "TZ",
            problem: "\"\(name)\" is not a known time zone"
                + (near.isEmpty ? "" : " (did you mean \(near.joined(separator: ", "))?)"))
    }

    /// LOG_LEVEL's value (case-insensitive; "warn" means warning).
    static func parseLogLevel(_ raw: String) throws(SettingError) -> Logger.Level {
        let level = raw.lowercased()
        guard let parsed = Logger.Level(rawValue: level == "warn" ? "warning" : level) else {
            throw SettingError(
                setting: "LOG_LEVEL",
                problem: "\"\(level)\" is not one of trace, debug, info, notice, warning, error, critical")
        }
        return parsed
    }

    /// libcurl reads the proxy variables from the process environment only; ones given in the env
    /// file are copied there (the environment's own values win).
    static func exportProxyVariables(from reader: SettingsReader) {
        for name in ["http_proxy", "https_proxy", "no_proxy", "all_proxy", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY"]
        where ProcessInfo.processInfo.environment[name] == nil {
            if let value = reader.string(name) { setenv(name, value, 0) }
        }
    }
}

/// CLUSTER: `auto` (the default) runs as a cluster member when MONGODB_URI names a replica set
/// (`replicaSet=`), `on` always (MongoDB required), `off` never (one instance alone, as before).
enum ClusterSetting: String, Sendable {
    case auto, on, off

    func isEnabled(uri: String?) -> Bool {
        switch self {
        case .on: uri != nil
        case .off: false
        case .auto: uri.map { $0.lowercased().contains("replicaset=") } ?? false
        }
    }
}

/// Typed reads with errors that name the setting.
struct SettingsReader {
    let config: ConfigReader

    func string(_ key: String) -> String? {
        let value = config.string(forKey: ConfigKey(key))?.trimmingCharacters(in: .whitespaces)
        return value?.isEmpty == false ? value : nil
    }

    func int(_ key: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let raw = string(key) else { return value }
        guard let parsed = Int(raw), range.contains(parsed) else {
            throw SettingError(
                setting: key, problem: "\"\(raw)\" is not a whole number in \(range.lowerBound)…\(range.upperBound)")
        }
        return parsed
    }

    func number(_ key: String, default value: Double, range: ClosedRange<Double>) throws -> Double {
        guard let raw = string(key) else { return value }
        guard let parsed = Double(raw), parsed.isFinite, range.contains(parsed) else {
            throw SettingError(
                setting: key, problem: "\"\(raw)\" is not a number in \(range.lowerBound)…\(range.upperBound)")
        }
        return parsed
    }

    func list(_ key: String) -> [String] {
        (string(key) ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
    }

    func url(_ key: String, default value: String) throws -> String {
        let raw = string(key) ?? value
        guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(),
            ["http", "https", "socks5", "socks5h"].contains(scheme),
            url.host?.isEmpty == false
        else {
            // Proxy URLs may carry a password: name the setting, not the value.
            throw SettingError(setting: key, problem: "is not an http(s) URL")
        }
        return raw.hasSuffix("/") ? String(raw.dropLast()) : raw
    }

    func targetRules(_ key: String) throws -> TargetPolicy.Rules {
        do {
            return try TargetPolicy.Rules.parse(string(key) ?? "", setting: key)
        } catch {
            throw SettingError(setting: key, problem: error.description)
        }
    }

    func optionalURL(_ key: String) throws -> String? {
        guard let raw = string(key) else { return nil }
        return try url(key, default: raw)
    }
}
