import FSM
import Foundation
import TelegramAPI

public typealias Handler = @Sendable (BotContext) async throws -> Void

/// When a handler applies to an update (aiogram's filters).
public enum Filter: Sendable {
    /// A message starting with `/name` (any `@botname` suffix).
    case command(String)
    /// A text message equal to one of these (reply-keyboard buttons in both languages).
    case text([String])
    /// Any text message that is not a command.
    case anyText
    /// A message sharing a contact.
    case contact
    /// A message carrying a file sent as a document.
    case document
    /// A button press whose data starts with this prefix.
    case callback(prefix: String)
    /// The user's FSM state is exactly this one.
    case state(FSMState)
    /// Every filter must match.
    indirect case all([Filter])

    func matches(_ update: Update, state: String?) -> Bool {
        switch self {
        case .command(let name):
            return update.message?.command?.name == name
        case .text(let options):
            guard let text = update.message?.text?.trimmingCharacters(in: .whitespaces) else { return false }
            return options.contains(text)
        case .anyText:
            guard let message = update.message, let text = message.text else { return false }
            return message.command == nil && !text.isEmpty
        case .contact:
            return update.message?.contact != nil
        case .document:
            return update.message?.document != nil
        case .callback(let prefix):
            return update.callbackQuery?.data?.hasPrefix(prefix) ?? false
        case .state(let expected):
            return state == expected.name
        case .all(let filters):
            return filters.allSatisfy { $0.matches(update, state: state) }
        }
    }
}

/// An ordered list of handlers; the first whose filter matches handles the update.
public struct Router: Sendable {
    struct Route: Sendable {
        let name: String
        let filter: Filter
        /// Whether a user who has not signed in may use it (start, help, sharing the number).
        let anonymous: Bool
        let handler: Handler
    }

    private(set) var routes: [Route] = []

    public init() {}

    public mutating func on(_ filter: Filter, name: String, anonymous: Bool = false, _ handler: @escaping Handler) {
        routes.append(Route(name: name, filter: filter, anonymous: anonymous, handler: handler))
    }

    func route(for update: Update, state: String?) -> Route? {
        routes.first { $0.filter.matches(update, state: state) }
    }
}
