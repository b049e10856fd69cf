import Checks
import Curl
import Foundation
import Logging
import TestSupport
import Testing

/// HTTPChecker against servers on 127.0.0.1: what a monitor's owner would be told.
@Suite struct HTTPCheckerTests {
    let origin: LocalHTTPServer
    let client: CurlHTTPClient
    let checker: HTTPChecker

    init() async throws {
        origin = try await LocalHTTPServer.shared()
        client = try CurlHTTPClient(logger: Logger(label: "HTTPCheckerTests"))
        // Direct: a proxy in the environment running the tests must not see these requests.
        checker = HTTPChecker(client: client, proxy: .none, logger: Logger(label: "HTTPCheckerTests"))
    }

    @Test func healthyPageIsUpWithStatusAndResponseTime() async throws {
        let result = try await checker.check(HTTPCheckTarget(url: origin.url("/status/200")))
        #expect(result.ok)
        #expect(result.failure == nil)
        #expect(result.status == 200)
        #expect((result.responseTime ?? .zero) > .zero)
        #expect(result.certificateExpiry == nil)
    }

    @Test func serverErrorIsDownWithTheStatus() async throws {
        let result = try await checker.check(HTTPCheckTarget(url: origin.url("/status/500")))
        #expect(!result.ok)
        #expect(result.failure == .unexpectedStatus(500))
        #expect(result.failure?.code == "unexpected_status")
        #expect(result.failure?.parameters == ["status": "500"])
        #expect(result.status == 500)
    }

    @Test func expectedStatusRangeIsTheOwnersChoice() async throws {
        let result = try await checker.check(HTTPCheckTarget(url: origin.url("/status/404"), expectedStatus: 404...404))
        #expect(result.ok)
    }

    @Test func presentKeywordKeepsThePageUp() async throws {
        let result = try await checker.check(
            HTTPCheckTarget(url: origin.url("/text/Всё%20хорошо"), keyword: "Всё хорошо"))
        #expect(result.ok)
    }

    @Test func missingKeywordIsDown() async throws {
        let result = try await checker.check(HTTPCheckTarget(url: origin.url("/text/maintenance"), keyword: "Welcome"))
        #expect(result.failure == .keywordMissing(keyword: "Welcome"))
        #expect(result.failure?.description == "keyword \"Welcome\" not found")
        #expect(result.status == 200)
    }

    @Test func tenMegabyteBodyIsUpWithoutAKeyword() async throws {
        let result = try await checker.check(HTTPCheckTarget(url: origin.url("/big/10485760")))
        #expect(result.ok)
    }

    @Test func keywordAtTheStartOfATenMegabyteBodyIsFound() async throws {
        let result = try await checker.check(
            HTTPCheckTarget(url: origin.url("/big/10485760?head=HEALTHY"), keyword: "HEALTHY"))
        #expect(result.ok)
    }

    @Test func keywordBeyondTheSearchLimitCountsAsMissing() async throws {
        let result = try await checker.check(
            HTTPCheckTarget(url: origin.url("/big/10485760?tail=HEALTHY"), keyword: "HEALTHY"))
        #expect(result.failure == .keywordMissing(keyword: "HEALTHY"))
    }

    @Test func redirectsWithinTheLimitAreFollowed() async throws {
        let result = try await checker.check(HTTPCheckTarget(url: origin.url("/redirect/2")))
        #expect(result.ok)
        #expect(result.redirectCount == 2)
        #expect(result.effectiveURL == origin.url("/redirect/0"))
    }

    @Test func redirectLoopIsDownWithTooManyRedirects() async throws {
        let result = try await checker.check(HTTPCheckTarget(url: origin.url("/loop/a"), maxRedirects: 5))
        #expect(result.failure == .tooManyRedirects(limit: 5))
        #expect(result.failure?.description == "too many redirects (more than 5)")
    }

    @Test func serverThatHangsAfterHeadersIsDownWithTimeoutWithinTheLimit() async throws {
        let started = ContinuousClock.now
        let result = try await checker.check(
            HTTPCheckTarget(url: origin.url("/hang-after-headers"), timeout: .seconds(1)))
        #expect(result.failure == .timeout)
        // Bounded by the 1 s limit, not by the server (it holds the request for an hour) nor by
        // the 30 s default; generous for a loaded machine.
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    @Test func closedPortIsDownWithConnectionRefused() async throws {
        let port = try ServerProcess.freeLoopbackPort()
        let result = try await checker.check(HTTPCheckTarget(url: "http://127.0.0.1:\(port)/"))
        #expect(result.failure == .refused)
        #expect(result.failure?.code == "connection_refused")
        #expect(result.status == nil)
    }

    @Test func unsupportedSchemeIsAnInvalidTarget() async throws {
        let result = try await checker.check(HTTPCheckTarget(url: "ftp://127.0.0.1/"))
        #expect(result.failure?.code == "invalid_target")
    }

    @Test func cancelledCheckThrowsInsteadOfReportingAnOutage() async throws {
        let task = Task { [checker, origin] in
            try await checker.check(HTTPCheckTarget(url: origin.url("/hang-after-headers"), timeout: .seconds(60)))
        }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}
