/// The defaults of the settings an operator sets (`CHECK_INTERVAL`, `FAILURES_BEFORE_ALERT`,
/// `SUCCESSES_BEFORE_RECOVERY`) and a user may override in /settings, written once for the
/// environment, the monitor and the bot.
public enum OperatorDefaults {
    public static let checkIntervalSeconds = 60
    public static let failuresBeforeAlert = 3
    public static let successesBeforeRecovery = 2
    /// CHECK_TIMEOUT: seconds one HTTP check may take.
    public static let checkTimeoutSeconds = 10
}
