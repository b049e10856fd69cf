import Configuration
import Testing

@testable import UptimeBot

/// Operators get one line naming the setting for every bad value, and no secret in it.
struct SettingsTests {
    static let token = "123456789:AAHsecretTokenPartThatMustNeverShow_0"

    func settings(_ environment: [String: String], requireToken: Bool = true) throws -> Settings {
        let provider = EnvironmentVariablesProvider(
            environmentVariables: environment, secretsSpecifier: .specific(Settings.secrets))
        return try Settings(
            reader: SettingsReader(config: ConfigReader(providers: [provider])), requireToken: requireToken)
    }

    /// The error's line, after checking it names `setting`.
    func refusal(_ environment: [String: String], naming setting: String) throws -> String {
        do {
            _ = try settings(environment)
        } catch let error as SettingError {
            #expect(error.setting == setting)
            return error.description
        }
        Issue.record("\(setting): accepted \(environment)")
        return ""
    }

    @Test func aGoodEnvironmentIsReadAndTheTokenGivesTheBotID() throws {
        let read = try settings(["BOT_TOKEN": Self.token, "CHECK_INTERVAL": "30", "FSM_CACHE_SECONDS": "0"])
        #expect(read.botToken.botID == 123_456_789)
        #expect(read.checkInterval == 30)
        #expect("\(read.botToken)" == "<redacted>")
    }

    @Test func eachBadValueIsOneLineNamingItsSetting() throws {
        #expect(try refusal([:], naming: "BOT_TOKEN").contains("not set"))
        #expect(
            try refusal(["BOT_TOKEN": "not-a-token"], naming: "BOT_TOKEN").contains("does not look like a bot token"))
        #expect(
            try refusal(["BOT_TOKEN": "123:sp ace"], naming: "BOT_TOKEN").contains("does not look like a bot token"))
        let interval = try refusal(["BOT_TOKEN": Self.token, "CHECK_INTERVAL": "abc"], naming: "CHECK_INTERVAL")
        #expect(interval == #"CHECK_INTERVAL: "abc" is not a whole number in 5…86400"#)
        let cache = try refusal(["BOT_TOKEN": Self.token, "FSM_CACHE_SECONDS": "-1"], naming: "FSM_CACHE_SECONDS")
        #expect(cache.contains("0…86400"))
        #expect(!interval.contains("\n") && !cache.contains("\n"))
    }

    @Test func signupIsApprovalByDefaultAndABadValueNamesTheSetting() throws {
        #expect(try settings(["BOT_TOKEN": Self.token]).signup == .approval)
        #expect(try settings(["BOT_TOKEN": Self.token, "SIGNUP": "Closed"]).signup == .closed)
        let line = try refusal(["BOT_TOKEN": Self.token, "SIGNUP": "everyone"], naming: "SIGNUP")
        #expect(line == #"SIGNUP: "everyone" is not one of approval, open, closed"#)
        #expect(
            try refusal(["BOT_TOKEN": Self.token, "AUDIT_RETENTION_DAYS": "0"], naming: "AUDIT_RETENTION_DAYS")
                .contains("1…3650"))
    }

    @Test func checkIntervalBelowMinCheckIntervalIsRefusedNamingIt() throws {
        let line = try refusal(
            ["BOT_TOKEN": Self.token, "CHECK_INTERVAL": "10", "MIN_CHECK_INTERVAL": "30"], naming: "CHECK_INTERVAL")
        #expect(line == "CHECK_INTERVAL: 10 is below MIN_CHECK_INTERVAL (30)")
        let read = try settings(["BOT_TOKEN": Self.token, "MAX_ADDS_PER_MINUTE": "3"])
        #expect(read.maxAddsPerMinute == 3 && read.minCheckInterval == 30)
        #expect(
            try refusal(["BOT_TOKEN": Self.token, "MAX_ADDS_PER_MINUTE": "0"], naming: "MAX_ADDS_PER_MINUTE")
                .contains("1…10000"))
    }

    @Test func telegramLimitsDefaultToTelegramsAndCanBeRaisedOrRefusedWithOneLine() throws {
        let defaults = try settings(["BOT_TOKEN": Self.token])
        #expect(defaults.telegramLimits.globalPerSecond == 30 && defaults.telegramLimits.perChatPerSecond == 1)
        let raised = try settings([
            "BOT_TOKEN": Self.token, "TELEGRAM_MAX_PER_SECOND": "1000", "TELEGRAM_MAX_PER_CHAT_PER_SECOND": "0.5",
        ])
        #expect(raised.telegramLimits.globalPerSecond == 1000 && raised.telegramLimits.globalBurst == 1000)
        #expect(raised.telegramLimits.perChatPerSecond == 0.5 && raised.telegramLimits.perChatBurst == 1)
        let bad = try refusal(
            ["BOT_TOKEN": Self.token, "TELEGRAM_MAX_PER_SECOND": "fast"], naming: "TELEGRAM_MAX_PER_SECOND")
        #expect(bad.hasPrefix("TELEGRAM_MAX_PER_SECOND: \"fast\" is not a number") && !bad.contains("\n"))
        _ = try refusal(
            ["BOT_TOKEN": Self.token, "TELEGRAM_MAX_PER_CHAT_PER_SECOND": "0"],
            naming: "TELEGRAM_MAX_PER_CHAT_PER_SECOND")
    }

    @Test func secretsNeverAppearInTheLine() throws {
        let mongo = try refusal(
            ["BOT_TOKEN": Self.token, "MONGODB_URI": "http://admin:Pa55word@db:27017"], naming: "MONGODB_URI")
        #expect(!mongo.contains("Pa55word"))
        #expect(!mongo.contains(Self.token))
        let token = try refusal(["BOT_TOKEN": "AAHsecret-but-no-digits"], naming: "BOT_TOKEN")
        #expect(!token.contains("AAHsecret"))
        let proxy = try refusal(
            ["BOT_TOKEN": Self.token, "CHECK_PROXY": "ftp://squid:Pa55word@proxy:3128"], naming: "CHECK_PROXY")
        #expect(!proxy.contains("Pa55word"))
    }

    @Test func commandsThatDoNotTalkToTelegramNeedNoToken() throws {
        #expect(try settings([:], requireToken: false).botToken.botID == nil)
    }
}

/// TARGET_ALLOW / TARGET_DENY: a typo must stop start-up, never widen or silently drop a rule.
struct TargetPolicySettingsTests {
    let base = ["BOT_TOKEN": SettingsTests.token]

    @Test func aMalformedCIDRStopsStartUpWithOneLineNamingTheSetting() throws {
        let tests = SettingsTests()
        let deny = try tests.refusal(
            base.merging(["TARGET_DENY": "127.0.9.0/24,10.0.0.0/33"]) { $1 }, naming: "TARGET_DENY")
        #expect(deny.hasPrefix(#"TARGET_DENY: "10.0.0.0/33" is not a CIDR range"#))
        #expect(!deny.contains("\n"))
        let allow = try tests.refusal(base.merging(["TARGET_ALLOW": "300.0.0.0/8"]) { $1 }, naming: "TARGET_ALLOW")
        #expect(allow.hasPrefix(#"TARGET_ALLOW: "300.0.0.0/8""#))
    }

    @Test func wellFormedListsAreRead() throws {
        let read = try SettingsTests().settings(
            base.merging(["TARGET_DENY": "127.0.9.0/24, fd00::/8", "TARGET_ALLOW": ".corp.example"]) { $1 })
        #expect(read.targetDeny.ranges.map(\.description) == ["127.0.9.0/24", "fd00::/8"])
        #expect(read.targetAllow.nameSuffixes == ["corp.example"])
        #expect(try SettingsTests().settings(base).targetDeny.isEmpty)
    }
}
