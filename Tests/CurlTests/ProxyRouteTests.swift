import Testing

@testable import Curl

/// Which checks go through the proxy, by libcurl's rules (what `uptime-bot check` prints).
struct ProxyRouteTests {
    let environment = [
        "https_proxy": "http://squid:3128", "http_proxy": "http://squid-plain:3128",
        "no_proxy": ".corp,10.0.0.0/8,localhost",
    ]

    @Test func environmentProxyIsChosenByScheme() {
        #expect(
            ProxyRoute.proxy(for: "https://example.org/", setting: .environment, environment: environment)
                == "http://squid:3128")
        #expect(
            ProxyRoute.proxy(for: "http://example.org/", setting: .environment, environment: environment)
                == "http://squid-plain:3128")
        // libcurl ignores an upper-case HTTP_PROXY.
        #expect(
            ProxyRoute.proxy(
                for: "http://example.org/", setting: .environment, environment: ["HTTP_PROXY": "http://x:1"]) == nil)
        // all_proxy / ALL_PROXY cover both schemes when the scheme's own variable is unset.
        let all = ProxyRoute.environmentProxyVariable(
            for: "https://api.telegram.org", environment: ["ALL_PROXY": "http://user:pw@gw:3128"])
        #expect(all?.name == "ALL_PROXY")
        #expect(all.flatMap { ProxyRoute.host(of: $0.value) } == "gw")
        #expect(
            ProxyRoute.environmentProxyVariable(
                for: "https://x", environment: ["HTTPS_PROXY": "a:1", "all_proxy": "b:1"])?.name == "HTTPS_PROXY")
        #expect(ProxyRoute.environmentProxyVariable(for: "http://x", environment: ["https_proxy": "a:1"]) == nil)
    }

    @Test func noProxyNamesSubdomainsAndCIDRBlocksGoDirect() {
        #expect(
            ProxyRoute.proxy(for: "https://intranet.corp/health", setting: .environment, environment: environment)
                == nil)
        #expect(ProxyRoute.proxy(for: "https://corp/", setting: .environment, environment: environment) == nil)
        #expect(
            ProxyRoute.proxy(for: "https://10.20.30.40:8443/", setting: .environment, environment: environment) == nil)
        #expect(
            ProxyRoute.proxy(for: "https://11.0.0.1/", setting: .environment, environment: environment)
                == "http://squid:3128")
        #expect(
            ProxyRoute.proxy(for: "https://notcorp/", setting: .environment, environment: environment)
                == "http://squid:3128")
        #expect(
            ProxyRoute.proxy(for: "http://localhost:8080/", setting: .url("http://p:1"), environment: environment)
                == nil)
        #expect(ProxyRoute.bypasses(host: "anything", noProxy: "*"))
    }

    @Test func checkProxySettingOverridesTheEnvironment() {
        #expect(ProxyRoute.proxy(for: "https://example.org/", setting: .none, environment: environment) == nil)
        #expect(
            ProxyRoute.proxy(for: "https://example.org/", setting: .url("http://other:8080"), environment: [:])
                == "http://other:8080")
        #expect(ProxyRoute.configuredProxy(setting: .environment, environment: environment) == "http://squid:3128")
        #expect(ProxyRoute.configuredProxy(setting: .environment, environment: [:]) == nil)
    }
}
