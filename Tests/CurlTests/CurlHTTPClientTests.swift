import Curl
import Foundation
import Logging
import TestSupport
import Testing

/// Plain-HTTP behaviour of CurlHTTPClient against a python origin server on 127.0.0.1.
@Suite struct CurlHTTPClientTests {
    let origin: LocalHTTPServer
    let client: CurlHTTPClient

    init() async throws {
        origin = try await LocalHTTPServer.shared()
        client = try CurlHTTPClient(maxConcurrent: 20, logger: Logger(label: "CurlTests"))
    }

    /// Every request here goes direct: a proxy in the environment running the tests must not see them.
    func fetch(_ request: HTTPRequest, on client: CurlHTTPClient? = nil) async throws(CurlError) -> HTTPResponse {
        var request = request
        request.proxy = .none
        return try await (client ?? self.client).execute(request)
    }

    @Test func getReturnsStatusHeadersAndBody() async throws {
        let response = try await fetch(HTTPRequest(url: origin.url("/status/200")))
        #expect(response.status == 200)
        #expect(response.bodyText == "status 200")
        #expect(response.headers["content-type"] == "text/plain")
        #expect(response.bodyTruncated == false)
        #expect(response.remoteAddress == "127.0.0.1")
        #expect(response.totalTime > .zero)
    }

    @Test func serverErrorIsAResponseNotAnError() async throws {
        let response = try await fetch(HTTPRequest(url: origin.url("/status/500")))
        #expect(response.status == 500)
    }

    @Test func postSendsMethodHeadersAndBody() async throws {
        let request = HTTPRequest(
            method: "POST", url: origin.url("/echo"),
            headers: ["Content-Type": "application/json", "X-Test": "да"],
            body: Array(#"{"a":1}"#.utf8))
        let response = try await fetch(request)
        let echo = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        #expect(echo?["method"] as? String == "POST")
        #expect(echo?["body"] as? String == #"{"a":1}"#)
        let headers = echo?["headers"] as? [String: String]
        #expect(headers?["Content-Type"] == "application/json")
        #expect(headers?["User-Agent"]?.hasPrefix("UptimeBot") == true)
    }

    @Test func headerWithLineBreakIsRejectedBeforeSending() async throws {
        let request = HTTPRequest(url: origin.url("/echo"), headers: ["X-Evil": "a\r\nInjected: yes"])
        let error = await #expect(throws: CurlError.self) { try await fetch(request) }
        #expect(error?.kind == .invalidRequest)
    }

    @Test func nonHTTPSchemesAreRefused() async throws {
        let error = await #expect(throws: CurlError.self) {
            try await fetch(HTTPRequest(url: "file:///etc/passwd"))
        }
        #expect(error?.kind == .invalidRequest)
    }

    @Test func redirectsAreFollowedAndCounted() async throws {
        let response = try await fetch(HTTPRequest(url: origin.url("/redirect/3")))
        #expect(response.status == 200)
        #expect(response.bodyText == "arrived")
        #expect(response.redirectCount == 3)
        #expect(response.effectiveURL == origin.url("/redirect/0"))
    }

    @Test func redirectsAreNotFollowedWhenDisabled() async throws {
        let response = try await fetch(HTTPRequest(url: origin.url("/redirect/3"), followRedirects: false))
        #expect(response.status == 302)
        #expect(response.headers["Location"] == "/redirect/2")
    }

    @Test func redirectLoopFailsWithTooManyRedirects() async throws {
        let error = await #expect(throws: CurlError.self) {
            try await fetch(HTTPRequest(url: origin.url("/loop/a"), maxRedirects: 5))
        }
        #expect(error?.kind == .tooManyRedirects)
    }

    @Test func serverThatHangsAfterHeadersFailsAtTheRequestTimeout() async throws {
        let started = ContinuousClock.now
        let error = await #expect(throws: CurlError.self) {
            try await fetch(HTTPRequest(url: origin.url("/hang-after-headers"), timeout: .seconds(1)))
        }
        #expect(error?.kind == .timeout)
        // Bounded by the 1 s timeout, not by the server (it holds the request for an hour) nor
        // by the 30 s default; generous for a loaded machine.
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    @Test func closedPortFailsWithConnectionRefused() async throws {
        let port = try ServerProcess.freeLoopbackPort()
        let error = await #expect(throws: CurlError.self) {
            try await fetch(HTTPRequest(url: "http://127.0.0.1:\(port)/"))
        }
        #expect(error?.kind == .couldNotConnect)
        #expect(error?.osErrno == Int(ECONNREFUSED))
    }

    @Test func tenMegabyteBodyIsTruncatedAtTheLimitAndStillSucceeds() async throws {
        let response = try await fetch(HTTPRequest(url: origin.url("/big/10485760"), maxBodyBytes: 64 * 1024))
        #expect(response.status == 200)
        #expect(response.body.count == 64 * 1024)
        #expect(response.bodyTruncated)
    }

    @Test func oversizedBodyFailsWhenTruncationIsOff() async throws {
        let error = await #expect(throws: CurlError.self) {
            try await fetch(
                HTTPRequest(url: origin.url("/big/1000000"), maxBodyBytes: 1000, truncateOversizedBody: false))
        }
        #expect(error?.kind == .tooLarge)
    }

    @Test func bodyOfExactlyTheLimitIsNotTruncated() async throws {
        let response = try await fetch(HTTPRequest(url: origin.url("/big/5000"), maxBodyBytes: 5000))
        #expect(response.body.count == 5000)
        #expect(response.bodyTruncated == false)
    }

    @Test func readingStopsOnceTheMarkerArrives() async throws {
        let request = HTTPRequest(
            url: origin.url("/big/10485760?head=MARKER"), stopAfterBodyContains: Array("MARKER".utf8))
        let response = try await fetch(request)
        #expect(response.bodyTruncated)
        #expect(response.body.count < 1 << 20)
        #expect(response.body.starts(with: Array("MARKER".utf8)))
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        let started = ContinuousClock.now
        let task = Task { [origin] in
            try await fetch(HTTPRequest(url: origin.url("/hang-after-headers"), timeout: .seconds(60)))
        }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        let result = await task.result
        #expect(throws: CurlError.self) { try result.get() }
        if case .failure(let error as CurlError) = result { #expect(error.kind == .cancelled) }
        #expect(ContinuousClock.now - started < .seconds(20))  // the request alone would wait 60 s
    }

    @Test func cancellingManyRequestsAtRandomMomentsLeavesNoneHanging() async throws {
        let tasks = (0..<200).map { i in
            Task { [origin] in
                try await fetch(
                    HTTPRequest(
                        url: origin.url(i.isMultiple(of: 2) ? "/sleep/0.05" : "/check/\(i)"), timeout: .seconds(20)))
            }
        }
        for task in tasks.shuffled().prefix(100) {
            if Bool.random() { try await Task.sleep(for: .microseconds(Int.random(in: 0...2000))) }
            task.cancel()
        }
        var outcomes = (ok: 0, cancelled: 0)
        for task in tasks {
            switch await task.result {
            case .success: outcomes.ok += 1
            case .failure(let error): if (error as? CurlError)?.kind == .cancelled { outcomes.cancelled += 1 }
            }
        }
        #expect(outcomes.ok + outcomes.cancelled == 200)
        #expect(outcomes.ok >= 100)
    }

    @Test func requestsBeyondMaxConcurrentWaitTheirTurnAndAllComplete() async throws {
        let small = try CurlHTTPClient(maxConcurrent: 3, logger: Logger(label: "CurlTests"))
        defer { small.shutdown() }
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<30 {
                group.addTask { [origin] in
                    try await fetch(HTTPRequest(url: origin.url("/check/\(i)")), on: small).status
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.count == 30)
        #expect(statuses.allSatisfy { $0 == 200 })
    }

    @Test func queuedRequestsDoNotSpendTheirTimeoutWaiting() async throws {
        let single = try CurlHTTPClient(maxConcurrent: 1, logger: Logger(label: "CurlTests"))
        defer { single.shutdown() }
        async let slow = fetch(HTTPRequest(url: origin.url("/sleep/6"), timeout: .seconds(60)), on: single)
        try await Task.sleep(for: .milliseconds(300))
        // Waits ~6 s behind the slow one, yet has only 4 s of its own: plenty for one local
        // request even on a loaded machine, too little had the wait counted against it.
        let fast = try await fetch(HTTPRequest(url: origin.url("/check/1"), timeout: .seconds(4)), on: single)
        #expect(fast.status == 200)
        #expect(try await slow.status == 200)
    }

    @Test func shutdownFailsRunningAndLaterRequests() async throws {
        let doomed = try CurlHTTPClient(logger: Logger(label: "CurlTests"))
        let running = Task { [origin] in
            try await fetch(HTTPRequest(url: origin.url("/hang-after-headers")), on: doomed)
        }
        try await Task.sleep(for: .milliseconds(200))
        doomed.shutdown()
        await #expect(throws: CurlError.self) { try await running.value }
        let error = await #expect(throws: CurlError.self) {
            try await fetch(HTTPRequest(url: origin.url("/check/1")), on: doomed)
        }
        #expect(error?.kind == .shutdown)
    }
}
