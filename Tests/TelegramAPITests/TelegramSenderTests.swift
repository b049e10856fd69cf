import FakeTelegramAPI
import Foundation
import TelegramAPI
import Testing

/// The sender as a good citizen: paced, ordered per chat, patient with 429/5xx, quick to give up
/// on 400/403.
struct TelegramSenderTests {
    @Test func tooManyRequestsWaitsRetryAfterAndDeliversExactlyOnce() async throws {
        try await withBotAPI { api in
            api.fake.failNext(method: "sendMessage", with: .tooManyRequests(retryAfter: 1))
            let started = ContinuousClock.now
            try await api.sender().sendMessage(chatID: 5, text: "hello")
            #expect(ContinuousClock.now - started >= .milliseconds(950))
            #expect(api.fake.calls(method: "sendMessage").map(\.status) == [429, 200])
            #expect(api.fake.messages(in: 5).map(\.text) == ["hello"])
        }
    }

    @Test func aReplyGoesBeforeAlertsAlreadyWaitingForTheSharedBudget() async throws {
        try await withBotAPI { api in
            let replies = api.sender(
                limits: SendRateLimits(globalPerSecond: 10, globalBurst: 1, perChatPerSecond: 100, perChatBurst: 100))
            let alerts = replies.bulkSender()
            let fanOut = Task {
                await withTaskGroup(of: Void.self) { group in
                    for chat in 1...20 {
                        group.addTask { try? await alerts.sendMessage(chatID: Int64(chat), text: "alert") }
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(250))  // the fan-out is under way, most alerts waiting
            try await replies.sendMessage(chatID: 99, text: "reply")
            let order = api.fake.calls(method: "sendMessage").compactMap(\.text)
            let position = try #require(order.firstIndex(of: "reply"))
            #expect(position <= 5, "the reply went ahead of the waiting alerts: \(order)")
            await fanOut.value
            #expect(api.fake.calls(method: "sendMessage").count == 21)
        }
    }

    @Test func aBulkSendDoesNotRepeatA429InsideTheCallAndTheChatStaysBlocked() async throws {
        try await withBotAPI { api in
            api.fake.failNext(method: "sendMessage", with: .tooManyRequests(retryAfter: 30))
            let alerts = api.sender(retry: .default).bulkSender()
            await #expect(throws: TelegramError.tooManyRequests(method: "sendMessage", retryAfter: 30)) {
                try await alerts.sendMessage(chatID: 5, text: "x")
            }
            #expect(api.fake.calls(method: "sendMessage").count == 1)
        }
    }

    @Test func serverErrorsAreRetriedWithGrowingBackoff() async throws {
        try await withBotAPI { api in
            api.fake.failNext(method: "sendMessage", count: 3, with: .serverError(status: 502))
            let retry = RetryPolicy(
                maxAttempts: 5, initialBackoff: .milliseconds(50), maxBackoff: .seconds(1), jitter: 0)
            try await api.sender(retry: retry).sendMessage(chatID: 5, text: "eventually")
            let calls = api.fake.calls(method: "sendMessage")
            #expect(calls.map(\.status) == [502, 502, 502, 200])
            let gaps = zip(calls, calls.dropFirst()).map { $1.receivedAt - $0.receivedAt }
            #expect(
                gaps[0] >= .milliseconds(45) && gaps[1] >= .milliseconds(95) && gaps[2] >= .milliseconds(195),
                "gaps \(gaps)")
            #expect(api.fake.messages(in: 5).count == 1)
        }
    }

    @Test func serverErrorsGiveUpAfterTheConfiguredAttempts() async throws {
        try await withBotAPI { api in
            api.fake.failNext(method: "sendMessage", count: 10, with: .serverError(status: 500))
            await #expect(
                throws: TelegramError.server(method: "sendMessage", status: 500, description: "Internal Server Error")
            ) {
                try await api.sender(retry: .fast).sendMessage(chatID: 5, text: "x")
            }
            #expect(api.fake.calls(method: "sendMessage").count == RetryPolicy.fast.maxAttempts)
        }
    }

    @Test func networkFailuresAreRetriedThenSurfaced() async throws {
        try await withBotAPI { api in
            let unreachable = try TelegramClient(
                configuration: api.unreachableConfiguration,
                logger: api.logs.logger("client"))
            let sender = TelegramSender(
                client: unreachable, limits: .unlimited, retry: .fast, logger: api.logs.logger("sender"))
            await #expect {
                try await sender.sendMessage(chatID: 5, text: "x")
            } throws: { error in
                guard case .network(_, let kind, _)? = error as? TelegramError else { return false }
                return kind == .couldNotConnect
            }
            let retries = api.logs.lines.filter { $0.text.contains("retrying") }
            #expect(retries.count == RetryPolicy.fast.maxAttempts - 1)
        }
    }

    @Test func forbiddenIsSurfacedAtOnceWithoutRetry() async throws {
        try await withBotAPI { api in
            api.fake.block(by: .anna)
            await #expect(
                throws: TelegramError.forbidden(
                    method: "sendMessage", description: "Forbidden: bot was blocked by the user")
            ) {
                try await api.sender().sendMessage(chatID: FakeUser.anna.chatID, text: "alert")
            }
            #expect(api.fake.calls(method: "sendMessage").count == 1)
        }
    }

    @Test func badRequestIsLoggedWithTheMethodAndNeverRetried() async throws {
        try await withBotAPI { api in
            api.fake.failNext(method: "sendMessage", with: .badRequest(description: "Bad Request: chat not found"))
            await #expect(
                throws: TelegramError.badRequest(method: "sendMessage", description: "Bad Request: chat not found")
            ) {
                try await api.sender().sendMessage(chatID: 5, text: "x")
            }
            #expect(api.fake.calls(method: "sendMessage").count == 1)
            #expect(
                api.logs.lines.contains {
                    $0.level == .error && $0.text.contains("method=sendMessage") && $0.text.contains("chat not found")
                })
        }
    }

    @Test func perChatRateIsAboutOnePerSecondAfterABurstOfThree() async throws {
        try await withBotAPI { api in
            let sender = api.sender(limits: .telegramDefaults)
            // The chat's bucket starts full no sooner than this: the 4th token is due 1 s later,
            // the 5th 2 s later. Measured from here, not from the first arrival, which a loaded
            // machine may delay.
            let started = ContinuousClock.now
            for index in 1...5 {
                try await sender.sendMessage(chatID: 5, text: "message \(index)")
            }
            let offsets = api.fake.calls(method: "sendMessage").map { $0.receivedAt - started }
            // Lower bounds are the limit: late is fine, early never.
            #expect(offsets[3] >= .milliseconds(950), "4th: \(offsets)")
            #expect(offsets[4] >= .milliseconds(1950), "5th: \(offsets)")
            // Only over-throttling fails this: one token every ten seconds would need 20 s.
            #expect(offsets[4] < .seconds(12), "5th: \(offsets)")
        }
    }

    @Test func aChatsFirstThreeMessagesGoOutWithoutWaitingForATokenAndTheFourthDoes() async throws {
        try await withBotAPI { api in
            // One token every 30 s after a burst of three: any pacing of the burst would show.
            let limits = SendRateLimits(perChatPerSecond: 1.0 / 30, perChatBurst: 3)
            let sender = api.sender(limits: limits)
            let started = ContinuousClock.now
            for index in 1...3 {
                try await sender.sendMessage(chatID: 5, text: "burst \(index)")
            }
            // A burst smaller than three would have held the 3rd message for 30 s.
            #expect(ContinuousClock.now - started < .seconds(15))
            let fourth = Task { try await sender.sendMessage(chatID: 5, text: "paced") }
            // Not sent early: it waits for its token (30 s); give it a second to misbehave.
            await #expect(throws: FakeBotAPIError.self) {
                try await api.fake.waitForMessages(chat: 5, count: 4, timeout: .seconds(1))
            }
            fourth.cancel()
            await #expect(throws: TelegramError.cancelled(method: "sendMessage")) { try await fourth.value }
            #expect(api.fake.messages(in: 5).map(\.text) == ["burst 1", "burst 2", "burst 3"])
        }
    }

    @Test func aBusyChatDoesNotHoldUpOtherChats() async throws {
        try await withBotAPI { api in
            // After one message a chat waits 30 s for its next token.
            let sender = api.sender(limits: SendRateLimits(perChatPerSecond: 1.0 / 30, perChatBurst: 1))
            let busy = Task {
                for index in 1...2 { try await sender.sendMessage(chatID: 5, text: "busy \(index)") }
            }
            try await api.fake.waitForMessages(chat: 5, count: 1)
            try await Task.sleep(for: .milliseconds(200))  // "busy 2" takes its place in line, waiting
            try await sender.sendMessage(chatID: 6, text: "other chat")
            // Delivered while chat 5's second message still waits for its token, not after it.
            #expect(api.fake.messages(in: 6).map(\.text) == ["other chat"])
            #expect(api.fake.messages(in: 5).map(\.text) == ["busy 1"])
            busy.cancel()
            _ = await busy.result
        }
    }

    @Test func globalRateBoundsAllChatsTogether() async throws {
        try await withBotAPI { api in
            let limits = SendRateLimits(globalPerSecond: 10, globalBurst: 2, perChatPerSecond: 100, perChatBurst: 100)
            let sender = api.sender(limits: limits)
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for chat in 1...6 { group.addTask { try await sender.sendMessage(chatID: Int64(chat), text: "hi") } }
                try await group.waitForAll()
            }
            // 2 at once, then 4 more at 10/s.
            #expect(ContinuousClock.now - started >= .milliseconds(380))
        }
    }

    @Test func oneChatsMessagesKeepTheirOrderWhileAnEarlierOneWaitsOutA429() async throws {
        try await withBotAPI { api in
            let sender = api.sender()
            api.fake.failNext(method: "sendMessage", with: .tooManyRequests(retryAfter: 1))
            let mark = api.fake.callCount
            var tasks: [Task<Void, any Error>] = []
            tasks.append(Task { try await sender.sendMessage(chatID: 5, text: "1") })
            try await api.fake.waitForCall(method: "sendMessage", after: mark) { $0.status == 429 }
            for index in 2...5 {
                // Runs here until it waits in the chat's line: each is queued before the next
                // starts, whatever the load (no sleep standing in for that).
                tasks.append(Task.immediate { try await sender.sendMessage(chatID: 5, text: "\(index)") })
            }
            for task in tasks { try await task.value }
            #expect(api.fake.messages(in: 5).map(\.text) == ["1", "2", "3", "4", "5"])
            #expect(sender.chatsInFlight == 0)
        }
    }

    @Test func editsThroughTheSenderTreatNotModifiedAsSuccess() async throws {
        try await withBotAPI { api in
            let sender = api.sender()
            let sent = try await sender.sendMessage(chatID: 5, text: "same")
            #expect(
                try await sender.editMessageText(chatID: 5, messageID: sent.messageID, text: "same") == .notModified)
            #expect(api.fake.calls(method: "editMessageText").count == 1)
            #expect(!api.logs.lines.contains { $0.level >= .warning })
        }
    }
}
