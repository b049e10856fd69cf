import Testing

@Test func placeholder_FSMTests() {}
