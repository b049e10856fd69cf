import Testing

@Test func placeholder_BSONTests() {}
