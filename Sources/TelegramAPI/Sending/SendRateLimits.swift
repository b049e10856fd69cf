/// Telegram's published limits for a bot (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
/// about 30 messages a second overall and one a second per chat, short bursts tolerated.
/// Tests and benchmarks raise them; production keeps the defaults.
public struct SendRateLimits: Sendable, Hashable {
    public var globalPerSecond: Double
    public var globalBurst: Int
    public var perChatPerSecond: Double
    public var perChatBurst: Int

    public init(
        globalPerSecond: Double = 30, globalBurst: Int = 30, perChatPerSecond: Double = 1, perChatBurst: Int = 3
    ) {
        self.globalPerSecond = globalPerSecond
        self.globalBurst = globalBurst
        self.perChatPerSecond = perChatPerSecond
        self.perChatBurst = perChatBurst
    }

    public static let telegramDefaults = SendRateLimits()

    /// Limits from the two operator settings (TELEGRAM_MAX_PER_SECOND, TELEGRAM_MAX_PER_CHAT_PER_SECOND),
    /// with bursts in the defaults' proportion: a second's worth overall, three seconds' worth per chat.
    public init(perSecond: Double, perChatPerSecond: Double) {
        self.init(
            globalPerSecond: perSecond, globalBurst: max(1, Int(perSecond.rounded(.down))),
            perChatPerSecond: perChatPerSecond, perChatBurst: max(1, Int((perChatPerSecond * 3).rounded(.down))))
    }

    /// High enough never to delay anything: for benchmarks that measure the bot, not the limiter.
    public static let unlimited = SendRateLimits(
        globalPerSecond: 1_000_000, globalBurst: 1_000_000, perChatPerSecond: 1_000_000, perChatBurst: 1_000_000
    )
}
