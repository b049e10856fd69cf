import Testing

@Test func placeholder_ChecksTests() {}
