import Testing

@Test func placeholder_TelegramAPITests() {}
