import Checks
import Curl
import Foundation
import Logging
import Targets
import TestSupport
import Testing

/// Expected status lists and ranges, keyword absent, HEAD and one custom header, against a real
/// server on 127.0.0.1 through `TargetChecker` as the monitor calls it.
@Suite struct HTTPOptionsTests {
    let origin: LocalHTTPServer
    let client: CurlHTTPClient
    let logs = LogCapture()
    let checker: TargetChecker

    init() async throws {
        origin = try await LocalHTTPServer.shared()
        var logger = logs.logger("HTTPOptionsTests")
        logger.logLevel = .trace
        client = try CurlHTTPClient(logger: logger)
        checker = TargetChecker(
            pinger: nil, http: HTTPChecker(client: client, proxy: .none, logger: logger),
            connectTimeout: .seconds(5), httpTimeout: .seconds(10))
    }

    func site(_ path: String, keyword: String? = nil, _ options: HTTPOptions = HTTPOptions()) -> CheckTarget {
        CheckTarget(kind: .http, target: origin.url(path), keyword: keyword, http: options)
    }

    @Test func aListOfStatusesAndARangeAreWhatCountsAsUp() async throws {
        let list = try ExpectedStatus.parse("200,204")
        #expect(try await checker.checkHTTP(site("/status/204", HTTPOptions(expectedStatus: list))).ok)
        let refused = try await checker.checkHTTP(site("/status/302", HTTPOptions(expectedStatus: list)))
        #expect(refused.failure == .unexpectedStatus(302))
        let range = try ExpectedStatus.parse("400-499")
        #expect(try await checker.checkHTTP(site("/status/404", HTTPOptions(expectedStatus: range))).ok)
        #expect(try await !checker.checkHTTP(site("/status/200", HTTPOptions(expectedStatus: range))).ok)
        // Unset: 2xx and 3xx, as before.
        #expect(try await checker.checkHTTP(site("/status/204")).ok)
    }

    @Test func aKeywordThatMustBeAbsentFailsTheCheckWhenThePageHasIt() async throws {
        let absent = HTTPOptions(keywordAbsent: true)
        let failed = try await checker.checkHTTP(site("/text/Database%20error", keyword: "error", absent))
        #expect(failed.failure == .keywordPresent(keyword: "error"))
        #expect(failed.failure?.code == "keyword_present")
        #expect(try await checker.checkHTTP(site("/text/All%20good", keyword: "error", absent)).ok)
        // Present (the default) is the other way round.
        #expect(try await !checker.checkHTTP(site("/text/All%20good", keyword: "error")).ok)
    }

    @Test func headSendsNoBodyRequestAndTheCustomHeaderArrives() async throws {
        let header = HTTPHeaders.Field(name: "Authorization", value: "Bearer hunter2-0123456789")
        let get = try await client.execute(
            HTTPRequest(url: origin.url("/echo"), headers: HTTPHeaders([(header.name, header.value)])))
        #expect(get.bodyText.contains("hunter2"))
        // Through the checker: HEAD is up on a page whose keyword it cannot see (no body is read).
        let head = try await checker.checkHTTP(
            site("/text/nothing-here", keyword: "missing", HTTPOptions(method: "HEAD", header: header)))
        #expect(head.ok, "\(String(describing: head.failure))")
        #expect(head.httpStatus == 200)
    }

    @Test func theHeaderValueIsNeverLoggedEvenWhenTheCheckFailsAtTraceLevel() async throws {
        let secret = "Bearer never-in-the-logs-42"
        let header = HTTPHeaders.Field(name: "Authorization", value: secret)
        // Port 9 refuses at once; a status check fails after a full exchange: both log their failure.
        let refused = CheckTarget(kind: .http, target: "http://127.0.0.1:9/", http: HTTPOptions(header: header))
        #expect(try await !checker.checkHTTP(refused).ok)
        #expect(try await !checker.checkHTTP(site("/status/503", HTTPOptions(header: header))).ok)
        #expect(!logs.lines.isEmpty)
        #expect(!logs.lines.contains { $0.text.contains("never-in-the-logs") })
        #expect(!"\(HTTPOptions(header: header))".contains("never-in-the-logs"))
    }

    @Test func theMonitorsOwnTimeoutIsKeptUnderTheOperatorsLimit() async throws {
        // A 1-second limit on a page that answers after 3 s: a timeout, where CHECK_TIMEOUT (10 s) would wait.
        let late = try await checker.checkHTTP(site("/sleep/3", HTTPOptions(timeout: .seconds(1))))
        #expect(late.failure == .timeout)
        // Asking for more than the operator allows gets the operator's limit: the page is up.
        #expect(try await checker.checkHTTP(site("/sleep/1", HTTPOptions(timeout: .seconds(600)))).ok)
    }
}
