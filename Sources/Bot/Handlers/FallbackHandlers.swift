import FSM

/// Whatever no route took.
enum FallbackHandlers {
    static func unmatched(_ c: BotContext, state: String?) async throws {
        if c.callback != nil {
            c.answer(c.texts.outdatedButton)
            return
        }
        if let state, let current = FSMState(name: state) {
            // Inside a dialog, but not text (a photo, a sticker): repeat what the step wants.
            try await DialogPrompts.repeatPrompt(c, state: current)
            return
        }
        try await c.reply(c.texts.hint)
    }
}
