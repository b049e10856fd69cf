import Testing

@Test func placeholder_ICMPTests() {}
