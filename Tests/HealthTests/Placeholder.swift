import Testing

@Test func placeholder_HealthTests() {}
