import Testing

@Test func placeholder_MongoTests() {}
