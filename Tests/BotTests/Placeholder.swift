import Testing

@Test func placeholder_BotTests() {}
