import Testing

@Test func placeholder_CurlTests() {}
