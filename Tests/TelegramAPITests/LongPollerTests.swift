import FakeTelegramAPI
import Synchronization
import TelegramAPI
import Testing

/// Offset bookkeeping: every update handled once, in order; an update is confirmed only after the
/// handler accepted it, so a new poller (a restart) gets exactly the unconfirmed ones.
struct LongPollerTests {
    /// Collects handled update ids.
    final class Handled: Sendable {
        private let ids = Mutex<[Int64]>([])
        var all: [Int64] { ids.withLock { $0 } }
        func append(_ id: Int64) { ids.withLock { $0.append(id) } }

        /// Generous: on a loaded CI machine a poll round trip can take seconds.
        func wait(for count: Int, timeout: Duration = .seconds(30)) async throws {
            let deadline = ContinuousClock.now + timeout
            while all.count < count {
                guard ContinuousClock.now < deadline else {
                    throw FakeBotAPIError.timeout("\(count) handled updates, have \(all)")
                }
                try await Task.sleep(for: .milliseconds(10))
            }
        }
    }

    /// Calls recorded at one moment, kept for a later check.
    final class Snapshot: Sendable {
        private let storage = Mutex<[RecordedCall]>([])
        var calls: [RecordedCall] {
            get { storage.withLock { $0 } }
            set { storage.withLock { $0 = newValue } }
        }
    }

    @Test func everyUpdateIsHandledOnceInOrder() async throws {
        try await withBotAPI { api in
            let handled = Handled()
            let poller = api.poller()
            let run = Task { try await poller.run { handled.append($0.updateID) } }
            var scripted: [Int64] = []
            for index in 0..<5 { scripted.append(api.fake.sendText(from: .anna, text: "a\(index)").updateID) }
            try await handled.wait(for: 5)
            for index in 0..<3 { scripted.append(api.fake.sendText(from: .boris, text: "b\(index)").updateID) }
            try await handled.wait(for: 8)
            run.cancel()
            try await run.value
            #expect(handled.all == scripted)
            #expect(api.fake.confirmedOffset == scripted.last! + 1)
            #expect(poller.lastSuccessfulPoll != nil)
            #expect(poller.nextOffset == scripted.last! + 1)
        }
    }

    @Test func aNewPollerGetsOnlyTheUpdatesTheOldOneDidNotAccept() async throws {
        try await withBotAPI { api in
            let ids = (0..<4).map { api.fake.sendText(from: .anna, text: "m\($0)").updateID }
            struct Crash: Error {}
            let first = Handled()
            await #expect(throws: Crash.self) {
                try await api.poller().run { update in
                    if update.updateID == ids[2] { throw Crash() }
                    first.append(update.updateID)
                }
            }
            #expect(first.all == Array(ids[0...1]))
            let second = Handled()
            let restarted = api.poller()
            let run = Task { try await restarted.run { second.append($0.updateID) } }
            try await second.wait(for: 2)
            try await api.fake.waitUntilConfirmed(updateID: ids[3])
            run.cancel()
            try await run.value
            #expect(second.all == Array(ids[2...3]))
        }
    }

    @Test func aBatchHandlerThatThrowsAcceptsNoneOfItsBatch() async throws {
        try await withBotAPI { api in
            let ids = (0..<3).map { api.fake.sendText(from: .anna, text: "b\($0)").updateID }
            struct Crash: Error {}
            await #expect(throws: Crash.self) {
                try await api.poller().runBatches { _ in throw Crash() }
            }
            #expect(api.fake.unconfirmedUpdateCount == 3)
            let second = Handled()
            let restarted = Task {
                try await api.poller().runBatches { batch in for update in batch { second.append(update.updateID) } }
            }
            try await second.wait(for: 3)
            try await api.fake.waitUntilConfirmed(updateID: ids[2])
            restarted.cancel()
            try await restarted.value
            #expect(second.all == ids)
        }
    }

    @Test func aCleanStopConfirmsWhatWasHandledSoARestartSeesNothingTwice() async throws {
        try await withBotAPI { api in
            let first = Handled()
            let poller = api.poller()
            let run = Task { try await poller.run { first.append($0.updateID) } }
            let ids = (0..<3).map { api.fake.sendCommand(from: .boris, "start", arguments: "\($0)").updateID }
            try await first.wait(for: 3)
            run.cancel()
            try await run.value
            #expect(api.fake.unconfirmedUpdateCount == 0)
            let later = api.fake.sendText(from: .boris, text: "after restart").updateID
            let second = Handled()
            let restarted = Task { try await api.poller().run { second.append($0.updateID) } }
            try await second.wait(for: 1)
            restarted.cancel()
            try await restarted.value
            #expect(first.all == ids)
            #expect(second.all == [later])
        }
    }

    @Test func aLongPollWaitsForTheNextUpdateInsteadOfSpinning() async throws {
        try await withBotAPI { api in
            let handled = Handled()
            // Answered polls the fake had recorded when the handler saw the update.
            let pollsSeenByHandler = Snapshot()
            let run = Task {
                try await api.poller(timeout: .seconds(30)).run { update in
                    pollsSeenByHandler.calls = api.fake.calls(method: "getUpdates")
                    handled.append(update.updateID)
                }
            }
            try await api.fake.waitForHeldPoll()
            // Idle for a while: a spinning poller would have had polls answered by now.
            try await Task.sleep(for: .milliseconds(500))
            #expect(api.fake.calls(method: "getUpdates").isEmpty, "polls answered while idle")
            let scriptedAt = ContinuousClock.now
            api.fake.sendText(from: .anna, text: "ping")
            try await handled.wait(for: 1)
            // The update came in the answer to the poll that was already held when it was
            // scripted (the only one answered by then), not in a later one.
            let polls = pollsSeenByHandler.calls
            #expect(polls.count == 1 && polls.allSatisfy { $0.status == 200 && $0.receivedAt < scriptedAt }, "\(polls)")
            run.cancel()
            try await run.value
            #expect(api.fake.calls(method: "getUpdates").count <= 4)
        }
    }

    @Test func cancellationEndsAHeldPollPromptly() async throws {
        try await withBotAPI { api in
            let poller = api.poller(timeout: .seconds(30))
            let run = Task { try await poller.run { _ in } }
            try await api.fake.waitForHeldPoll()
            let cancelledAt = ContinuousClock.now
            run.cancel()
            try await run.value
            // Well under the 30 s the held poll would otherwise last.
            #expect(ContinuousClock.now - cancelledAt < .seconds(10))
        }
    }

    @Test func pollingSurvivesServerErrorsAndFloodLimits() async throws {
        try await withBotAPI { api in
            api.fake.failNext(method: "getUpdates", count: 2, with: .serverError(status: 502))
            api.fake.failNext(method: "getUpdates", with: .tooManyRequests(retryAfter: 1))
            let id = api.fake.sendText(from: .anna, text: "still there?").updateID
            let handled = Handled()
            let run = Task { try await api.poller().run { handled.append($0.updateID) } }
            try await handled.wait(for: 1)
            run.cancel()
            try await run.value
            #expect(handled.all == [id])
            #expect(api.fake.calls(method: "getUpdates").prefix(3).map(\.status) == [502, 502, 429])
        }
    }

    @Test func aWebhookLeftSetIsDeletedWithItsPendingUpdatesKept() async throws {
        try await withBotAPI { api in
            api.fake.setWebhook("https://127.0.0.1:8443/hook")
            let waiting = api.fake.sendText(from: .anna, text: "sent while the webhook was set").updateID
            let handled = Handled()
            let run = Task { try await api.poller().run { handled.append($0.updateID) } }
            try await handled.wait(for: 1)
            run.cancel()
            try await run.value
            #expect(handled.all == [waiting])
            #expect(api.fake.webhookURL.isEmpty)
            let deletes = api.fake.calls(method: "deleteWebhook")
            #expect(deletes.count == 1 && deletes.allSatisfy { $0.params["drop_pending_updates"]?.boolValue != true })
            #expect(api.logs.lines.contains { $0.level == .warning && $0.text.contains("webhook is set") })
        }
    }

    @Test func aWrongTokenStopsThePollerWithUnauthorized() async throws {
        try await withBotAPI { api in
            let poller = LongPoller(client: api.client(token: "1:wrong"), logger: api.logs.logger("poller"))
            await #expect(throws: TelegramError.unauthorized(method: "getUpdates")) {
                try await poller.run { _ in }
            }
        }
    }
}
