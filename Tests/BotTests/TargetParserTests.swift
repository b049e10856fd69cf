import Bot
import Storage
import Testing

struct TargetParserTests {
    @Test(arguments: [
        ("10.0.0.1", "10.0.0.1"), ("::1", "::1"), ("[2001:DB8::1]", "2001:db8::1"), ("Router.Local.", "router.local"),
        ("switch-01", "switch-01"), ("  8.8.8.8 ", "8.8.8.8"),
    ])
    func devicesAcceptIPv4IPv6AndHostNames(_ input: String, _ expected: String) throws {
        #expect(try TargetParser.parse(input, as: .icmp) == expected)
    }

    @Test(arguments: [
        ("999.1.1.1", TargetError.invalidIPv4), ("1.2.3", .invalidIPv4), ("010.0.0.1", .invalidIPv4),
        ("-bad.host", .invalidHost),
        ("a..b", .invalidHost), ("host_with space", .invalidHost), ("2001:db8::zz", .invalidHost), ("", .empty),
        ("\u{200F}x", .invisibleCharacters),
    ])
    func devicesRefuseWhatIsNotAnAddress(_ input: String, _ error: TargetError) {
        #expect(throws: error) { try TargetParser.parse(input, as: .icmp) }
    }

    @Test(arguments: [
        ("https://Example.org/a?b=c", "https://example.org/a?b=c"), ("example.org", "https://example.org"),
        ("http://10.0.0.1:8080/health", "http://10.0.0.1:8080/health"), ("https://[::1]:8443/", "https://[::1]:8443/"),
    ])
    func sitesAcceptHTTPAndHTTPSURLs(_ input: String, _ expected: String) throws {
        #expect(try TargetParser.parse(input, as: .http) == expected)
    }

    @Test(arguments: [
        ("ftp://x", TargetError.unsupportedScheme), ("http://", .missingHost),
        ("https://u:p@example.org", .credentials),
        ("https://example.org:0/", .invalidPort), ("https://exa mple.org", .invalidURL),
        ("https://999.1.1.1/", .invalidURL),
    ])
    func sitesRefuseOtherSchemesCredentialsAndBrokenURLs(_ input: String, _ error: TargetError) {
        #expect(throws: error) { try TargetParser.parse(input, as: .http) }
    }

    @Test func namesAreTrimmedAndLimited() {
        #expect(TargetParser.parseName("  Роутер  ") == "Роутер")
        #expect(TargetParser.parseName(String(repeating: "я", count: 65)) == nil)
        #expect(TargetParser.parseName("\u{0007}bell") == nil)
    }
}
