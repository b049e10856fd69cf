import Checks
import Curl
import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Monitor

/// The canaries never queue behind the checks: with every HTTP slot (and every transfer of the
/// checks' libcurl client) held by one owner's hanging sites, the connectivity probe still answers.
struct CanarySlotsTests {
    @Test func aCanaryCheckCompletesWhileEverySharedSlotIsHeldByHangingSites() async throws {
        let origin = try await LocalHTTPServer.shared()
        // Two slots and a client of two transfers: both full once two sites hang.
        let checksHTTP = try CurlHTTPClient(maxConcurrent: 2, logger: testLogger)
        defer { checksHTTP.shutdown() }
        let checker = TargetChecker(
            pinger: nil, http: HTTPChecker(client: checksHTTP, proxy: .none, logger: testLogger),
            connectTimeout: .seconds(10), httpTimeout: .seconds(3600), maxConcurrentHTTP: 2)
        let hanging = (0..<4).map { index in
            Task {
                try? await checker.checkHTTP(
                    CheckTarget(kind: .http, target: origin.url("/sleep/3600?canary-slots=\(index)")))
            }
        }
        defer { for check in hanging { check.cancel() } }
        try await eventually("the hanging sites hold every slot") { checker.httpLimit.inUse == checker.httpLimit.limit }

        let probe = try #require(
            CanaryProbe.make(
                canaries: [.guessing(origin.url("/status/200?canary-slots=canary"))], proxy: nil, checker: checker,
                checksClient: checksHTTP, logger: testLogger))
        let answer = Mutex<ConnectivityProbe?>(nil)
        let probing = Task {
            let found = await probe()
            answer.withLock { $0 = found }
        }
        defer { probing.cancel() }
        // The hanging checks end in an hour: an answer now did not wait for their slots.
        try await eventually("the canary probe answers", timeout: .seconds(30)) { answer.withLock { $0 } != nil }
        #expect(answer.withLock { $0 }?.reachable == true, "the canary answered: the monitor is connected")
        #expect(checker.httpLimit.inUse == checker.httpLimit.limit, "the hanging sites still hold every slot")
    }
}
