/// The language the chat speaks to a user: Russian first, English second.
public enum Language: String, Sendable, CaseIterable {
    case ru, en

    /// One rule for every code we meet (Telegram's "en-GB", a stored "en", a button's "ru"):
    /// English if it starts with "en", Russian otherwise and when there is none.
    public init(code: String?) { self = code?.lowercased().hasPrefix("en") == true ? .en : .ru }
}
