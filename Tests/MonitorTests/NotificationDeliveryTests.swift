import FakeTelegramAPI
import Foundation
import Storage
import TestSupport
import Testing

@testable import Monitor

/// What owners receive through the fake Bot API: grouping, muting, Telegram outages, blocked bots.
struct NotificationDeliveryTests {
    @Test func simultaneousChangesOfOneOwnerArriveAsOneMessage() async throws {
        let origin = try await LocalHTTPServer.shared()
        try await withHarness { harness in
            let repos = harness.repositories
            try await repos.users.upsert(user(5, language: "en"))
            for index in 1...4 {
                try await repos.monitors.create(
                    MonitorRecord(
                        ownerID: 5, kind: .http, target: origin.url("/status/503?switch=\(index)"),
                        name: "port \(index)"))
            }
            // Three failures: every monitor's first failure is stored a whole interval before the
            // first of them goes down, however long one check takes on a busy machine.
            let monitor = harness.startMonitor(fastConfiguration(failures: 3))
            var outbox = fastOutbox
            outbox.groupingWindow = .seconds(4)
            let sender = harness.startSender(outbox)
            try await harness.fake.waitForMessages(chat: 5, count: 1, timeout: .seconds(15))
            try await Task.sleep(for: .seconds(4))  // a second message would have come by now
            let texts = harness.texts(in: 5)
            #expect(texts.count == 1, "\(texts)")
            let text = try #require(texts.first)
            #expect(text.hasPrefix("📣 4 changes at once"))
            for index in 1...4 { #expect(text.contains("port \(index) is down")) }
            #expect(text.contains("HTTP status 503"))
            await monitor.stop()
            await sender.stop()
        }
    }

    @Test func aLoneChangeIsSentAtOnceNotAfterTheGroupingWindow() async throws {
        let origin = try await LocalHTTPServer.shared()
        try await withHarness { harness in
            let repos = harness.repositories
            try await repos.users.upsert(user(10, language: "en"))
            try await repos.monitors.create(
                MonitorRecord(ownerID: 10, kind: .http, target: origin.url("/status/503?lone"), name: "lone"))
            try await repos.monitors.create(
                MonitorRecord(ownerID: 10, kind: .http, target: origin.url("/status/200?fine"), name: "fine"))
            let monitor = harness.startMonitor(fastConfiguration())
            var outbox = fastOutbox
            outbox.groupingWindow = .seconds(60)
            let sender = harness.startSender(outbox)
            // Well inside the 60 s window: nothing else of this owner is failing, so nothing is waited for.
            let texts = try await harness.fake.waitForMessages(chat: 10, count: 1, timeout: .seconds(20))
            #expect(texts.first?.text.contains("lone is down") == true)
            await monitor.stop()
            await sender.stop()
        }
    }

    @Test func mutedOwnerGetsNoAlertsAndASummaryOnceUnmuted() async throws {
        let origin = try await LocalHTTPServer.shared()
        try await withHarness { harness in
            let repos = harness.repositories
            try await repos.users.upsert(user(6, settings: UserSettings(mutedUntil: Date().addingTimeInterval(3600))))
            let site = MonitorRecord(ownerID: 6, kind: .http, target: origin.url("/status/502"), name: "Касса")
            try await repos.monitors.create(site)
            let monitor = harness.startMonitor(fastConfiguration())
            let sender = harness.startSender()
            try await eventually("the site is down") { try await repos.monitors.get(site.id)?.status == .down }
            // The change is kept in the outbox, held for the mute (not in the monitor service's memory).
            try await eventually("the change is held for the mute") {
                try await repos.outbox.pending(chatID: 6, limit: 10).first?.heldReason == .muted
            }
            #expect(harness.texts(in: 6).isEmpty, "a muted owner gets no alert")
            #expect(try await repos.outbox.pending(chatID: 6, limit: 10).count == 1)
            // A restart of the monitor service during the mute loses nothing of the summary.
            await monitor.stop()

            try await repos.users.updateSettings(6, UserSettings(mutedUntil: nil))
            try await repos.outbox.releaseHeld(chatID: 6, now: Date())  // what /settings does on unmute
            let summary = try await harness.fake.waitForMessages(chat: 6, count: 1, timeout: .seconds(10))
            #expect(summary.first?.text.contains("Уведомления снова включены") == true)
            #expect(summary.first?.text.contains("Касса — недоступен с") == true)
            #expect(harness.texts(in: 6).count == 1, "one summary")
            await sender.stop()
        }
    }

    @Test func alertsPendingWhenTheOwnerMutesAreKeptForTheSummaryNotGivenUp() async throws {
        try await withHarness { harness in
            let repos = harness.repositories
            try await repos.users.upsert(user(9))
            // Written before the mute (held back by the grouping window), due once the owner has muted.
            try await repos.outbox.enqueue(
                OutboxMessage(chatID: 9, text: "🔴 <b>router</b> недоступен", dedupeKey: "alert:m9:down:1"))
            try await repos.users.updateSettings(9, UserSettings(mutedUntil: Date().addingTimeInterval(3600)))
            let sender = harness.startSender()
            // Until the sender has looked at it and held it back (under load that can take a while).
            let deadline = ContinuousClock.now + .seconds(20)
            while try await repos.outbox.pending(chatID: 9, limit: 10).first?.heldSince == nil,
                ContinuousClock.now < deadline
            {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(try await repos.outbox.pending(chatID: 9, limit: 10).first?.heldReason == .muted)
            #expect(harness.texts(in: 9).isEmpty, "a muted owner gets no alert")
            #expect(try await repos.outbox.pendingCount() == 1, "kept, not given up")

            try await repos.users.updateSettings(9, UserSettings(mutedUntil: nil))
            try await repos.outbox.releaseHeld(chatID: 9, now: Date())  // what /settings does on unmute
            let summary = try await harness.fake.waitForMessages(chat: 9, count: 1, timeout: .seconds(10))
            #expect(summary.first?.text.contains("Отложенные уведомления: 1") == true)
            #expect(summary.first?.text.contains("router недоступен") == true)
            await sender.stop()
        }
    }

    @Test func outboxSurvivesATelegramOutageAndDeliversExactlyOnce() async throws {
        try await withHarness { harness in
            let repos = harness.repositories
            try await repos.users.upsert(user(7))
            harness.fake.failNext(method: "sendMessage", count: 3, with: .serverError(status: 502))
            harness.fake.failNext(method: "sendMessage", count: 1, with: .proxyErrorPage(status: 503))
            harness.fake.failNext(method: "sendMessage", count: 2, with: .tooManyRequests(retryAfter: 1))
            try await repos.outbox.enqueue(
                OutboxMessage(chatID: 7, text: "🔴 <b>router</b> недоступен", dedupeKey: "alert:test:down:1"))
            let sender = harness.startSender()
            let delivered = try await harness.fake.waitForMessages(chat: 7, count: 1, timeout: .seconds(20))
            #expect(delivered.map(\.text) == ["🔴 router недоступен"])
            try await Task.sleep(for: .seconds(2))
            let calls = harness.fake.calls(method: "sendMessage")
            #expect(calls.count == 7, "six refusals, one delivery: \(calls.map(\.status))")
            #expect(calls.filter { $0.status == 200 }.count == 1)
            #expect(harness.fake.messages(in: 7).count == 1)
            #expect(try await repos.outbox.pendingCount() == 0)
            await sender.stop()
        }
    }

    @Test func blockedBotMarksTheOwnerUnreachableAndKeepsTheirMessagesWithoutSending() async throws {
        try await withHarness { harness in
            let repos = harness.repositories
            try await repos.users.upsert(user(8))
            harness.fake.block(by: FakeUser(id: 8))
            try await repos.outbox.enqueue(OutboxMessage(chatID: 8, text: "first", dedupeKey: "k1"))
            try await repos.outbox.enqueue(
                OutboxMessage(chatID: 8, text: "second", dedupeKey: "k2", createdAt: Date().addingTimeInterval(1)))
            let sender = harness.startSender()
            try await eventually("the owner is marked unreachable") {
                try await repos.users.get(8)?.unreachable == true
            }
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await repos.outbox.pendingCount() == 2, "both are kept for when the owner is back")
            // Texts, not call counts: on a loaded machine the first call can time out (5 s) and be retried by the sender.
            func sentTexts() -> Set<String> { Set(harness.fake.calls(method: "sendMessage").compactMap(\.text)) }
            #expect(sentTexts() == ["first"], "the second is not even tried")
            try await repos.outbox.enqueue(OutboxMessage(chatID: 8, text: "third", dedupeKey: "k3"))
            try await Task.sleep(for: .seconds(1))
            #expect(sentTexts() == ["first"], "nothing is sent to an unreachable owner")
            await sender.stop()
        }
    }
}
