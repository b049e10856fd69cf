import BSON
import Bot
import FakeTelegramAPI
import Foundation
import Storage
import TestSupport
import Testing

/// SIGNUP=approval (the default): the first user owns the bot, admins decide about the rest.
struct AccessTests {
    let owner = FakeUser(id: 5001, firstName: "Ольга", username: "olga")
    let bob = FakeUser(id: 5002, firstName: "Bob", username: "bob_b", languageCode: "en")
    let carol = FakeUser(id: 5003, firstName: "Carol", languageCode: "en")
    static let bobPhone = "+7 999 555-00-02"

    func document(_ bot: BotHarness, _ user: FakeUser) async throws -> BSONDocument? {
        try await bot.database.collection("users").findOne(["_id": .int64(user.id)])
    }

    func audit(_ bot: BotHarness, action: String) async throws -> [BSONDocument] {
        try await bot.database.collection("audit").find(["action": .string(action)])
    }

    /// The owner signs in first (admin), Bob asks for access.
    func ownerAndPendingBob(_ bot: BotHarness) async throws {
        try await bot.signIn(owner)
        try await bot.signIn(bob, phone: Self.bobPhone)
    }

    @Test func theFirstUserOnAnEmptyDatabaseBecomesTheAdmin() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(owner)
            #expect(bot.lastText(owner).contains("стали администратором"), "\(bot.lastText(owner))")
            let doc = try #require(try await document(bot, owner))
            #expect(doc["role"] == "admin")
            #expect(doc["access"] == "active")
            #expect(doc["granted_by"] == "first_user")
            #expect(try await audit(bot, action: "first_admin").first?["actor_id"] == .int64(owner.id))
            #expect(try await bot.say(owner, "/users").last?.text.contains("Ольга @olga") == true)
        }
    }

    @Test func aSecondUserIsPendingThenApprovedAndCanUseMonitoring() async throws {
        try await BotHarness.run { bot in
            try await ownerAndPendingBob(bot)
            #expect(bot.lastText(bob).contains("request for access has been sent"), "\(bot.lastText(bob))")
            #expect(try await document(bot, bob)?["access"] == "pending")
            let request = try #require(bot.fake.lastMessage(in: owner.chatID))
            #expect(request.text.contains("Bob @bob_b"), "\(request.text)")
            #expect(request.text.contains("+79995550002"))
            #expect(request.buttons.map(\.text) == ["✅ Одобрить", "🚫 Отклонить"])
            // Pending: the bot's features stay closed.
            #expect(try await bot.say(bob, "/monitoring").last?.text.contains("still pending") == true)

            try await bot.press(owner, "✅ Одобрить")
            #expect(try await document(bot, bob)?["access"] == "active")
            #expect(bot.lastText(bob).contains("access is approved"))
            #expect(try await bot.say(bob, "/monitoring").last?.text.contains("Monitoring") == true)
            let approval = try #require(try await audit(bot, action: "approve").first)
            #expect(approval["actor_id"] == .int64(owner.id))
            #expect(approval["target_id"] == .int64(bob.id))
            #expect(approval["at"]?.dateValue != nil)
            #expect(approval[path: "details.from"] == "pending")
        }
    }

    @Test func aDeniedUserCannotUseTheBot() async throws {
        try await BotHarness.run { bot in
            try await ownerAndPendingBob(bot)
            try await bot.press(owner, "🚫 Отклонить")
            #expect(try await document(bot, bob)?["access"] == "denied")
            #expect(bot.lastText(bob).contains("declined"))
            let replies = try await bot.say(bob, "/monitoring")
            #expect(!replies.contains { $0.text.contains("Monitoring") })
            try await bot.handled(bot.fake.shareContact(from: bob, phone: Self.bobPhone))
            #expect(bot.lastText(bob).contains("not allowed"))
            #expect(bot.fake.messages(in: owner.chatID).filter { $0.text.contains("Bob @bob_b") }.count == 1)
        }
    }

    @Test func anAlreadyPendingRequestIsNotSentToTheAdminsAgain() async throws {
        try await BotHarness.run { bot in
            try await ownerAndPendingBob(bot)
            try await bot.signIn(bob, phone: Self.bobPhone)
            #expect(bot.lastText(bob).contains("still pending"))
            let requests = bot.fake.messages(in: owner.chatID).filter { $0.text.contains("Bob @bob_b") }
            #expect(requests.count == 1)
        }
    }

    @Test func revokingMidDialogRefusesTheNextUpdateAndPausesThatUsersMonitors() async throws {
        try await BotHarness.run { bot in
            try await ownerAndPendingBob(bot)
            try await bot.press(owner, "✅ Одобрить")
            let monitor = MonitorRecord(ownerID: bob.id, kind: .icmp, target: "10.0.0.8", name: "bob's")
            try await bot.repositories.monitors.create(monitor)
            try await bot.say(bob, "/add")
            try await bot.press(bob, "🖥 Device (IP / host)")
            #expect(try await bot.fsmState(bob) == "AddMonitor:target")

            try await bot.say(owner, "/users")
            try await bot.press(owner, "🟢 Bob")
            try await bot.press(owner, "⛔ Отозвать доступ")
            #expect(try await document(bot, bob)?["access"] == "revoked")
            #expect(try await bot.repositories.monitors.get(monitor.id)?.enabled == false)

            // The very next update (the user cache notwithstanding) is refused and ends the dialog.
            try await bot.say(bob, "10.0.0.9")
            #expect(try await bot.fsmState(bob) == nil)
            #expect(try await bot.repositories.monitors.list(ownerID: bob.id).map(\.target) == ["10.0.0.8"])
            try await bot.say(bob, "/monitoring")
            let told = bot.fake.messages(in: bob.chatID).filter {
                $0.text.contains("access to the bot has been revoked")
            }
            #expect(told.count == 1)
            let revoke = try #require(try await audit(bot, action: "revoke").first)
            #expect(revoke["actor_id"] == .int64(owner.id))
            #expect(revoke[path: "details.monitors_paused"] == "1")
        }
    }

    @Test func forgedAdminButtonsFromANonAdminChangeNothing() async throws {
        try await BotHarness.run(settings: BotSettings(allowedPhones: ["79995550003"])) { bot in
            try await ownerAndPendingBob(bot)
            try await bot.signIn(carol, phone: "+7 999 555-00-03")
            #expect(try await document(bot, carol)?["access"] == "active")
            let anyMessage = try #require(bot.fake.lastMessage(in: carol.chatID))
            for data in ["ua:\(bob.id)", "ud:\(bob.id)", "ur:\(owner.id)", "uA:\(carol.id)", "uo:\(owner.id)", "ul:0"] {
                try await bot.pressData(carol, data, on: anyMessage.messageID)
                let answer = bot.fake.calls(method: "answerCallbackQuery").last
                #expect(answer?.params["text"]?.stringValue == "Only administrators can do this.", "\(data)")
            }
            #expect(try await bot.say(carol, "/users").last?.text == "Only administrators can do this.")
            #expect(try await document(bot, bob)?["access"] == "pending")
            #expect(try await document(bot, owner)?["access"] == "active")
            #expect(try await document(bot, carol)?["role"] == "user")
            #expect(try await bot.database.collection("audit").count(["action": ["$ne": "first_admin"]]) == 0)
        }
    }

    @Test func theLastAdminCannotRevokeThemselves() async throws {
        try await BotHarness.run { bot in
            try await bot.signIn(owner)
            try await bot.say(owner, "/users")
            try await bot.press(owner, "🟢 Ольга")
            #expect(bot.fake.lastMessage(in: owner.chatID)?.button(labelled: "⛔ Отозвать доступ") != nil)
            try await bot.press(owner, "⛔ Отозвать доступ")
            #expect(bot.lastText(owner).contains("единственный администратор"), "\(bot.lastText(owner))")
            #expect(try await document(bot, owner)?["access"] == "active")
            #expect(try await document(bot, owner)?["role"] == "admin")
            #expect(try await audit(bot, action: "revoke").isEmpty)
        }
    }

    @Test func aPendingUserListedSinceIsInAtTheirNextSignIn() async throws {
        try await BotHarness.run { bot in
            try await ownerAndPendingBob(bot)
            await bot.stop()
            bot.start(settings: BotSettings(allowedPhones: ["79995550002"]))
            try await bot.signIn(bob, phone: Self.bobPhone)
            #expect(bot.lastText(bob).contains("signed in"))
            #expect(try await document(bot, bob)?["granted_by"] == "allowed_phones")
            #expect(try await bot.say(bob, "/monitoring").last?.text.contains("Monitoring") == true)
        }
    }

    @Test func closedSignupRefusesUnlistedUsersWithoutAskingTheAdmins() async throws {
        try await BotHarness.run(settings: BotSettings(signup: .closed, adminIDs: [owner.id])) { bot in
            try await bot.signIn(owner)
            #expect(bot.lastText(owner).contains("вы вошли"))
            try await bot.signIn(bob, phone: Self.bobPhone)
            #expect(bot.lastText(bob).contains("not allowed"))
            #expect(try await document(bot, bob) == nil)
            #expect(!bot.fake.messages(in: owner.chatID).contains { $0.text.contains("Bob") })
        }
    }

    @Test func aPhoneRemovedFromAllowedPhonesLosesAccessAtTheNextUpdate() async throws {
        let listed = BotSettings(allowedPhones: ["79995550002"], adminIDs: [owner.id])
        try await BotHarness.run(settings: listed) { bot in
            try await bot.signIn(bob, phone: Self.bobPhone)
            #expect(bot.lastText(bob).contains("signed in"))
            let monitor = MonitorRecord(ownerID: bob.id, kind: .icmp, target: "10.0.0.7", name: "box")
            try await bot.repositories.monitors.create(monitor)

            // The operator empties ALLOWED_PHONES and restarts.
            await bot.stop()
            bot.start(settings: BotSettings(adminIDs: [owner.id]))
            let replies = try await bot.say(bob, "/monitoring")
            #expect(replies.map(\.text).contains { $0.contains("has been revoked") }, "\(replies.map(\.text))")
            #expect(!replies.contains { $0.text.contains("Monitoring") })
            #expect(try await document(bot, bob)?["access"] == "revoked")
            #expect(try await bot.repositories.monitors.get(monitor.id)?.enabled == false)
            #expect(try await audit(bot, action: "revoke_unlisted").first?["actor_id"] == .int64(0))

            // A user admitted by a list elsewhere (another instance, mongosh) is checked on their update too.
            try await bot.database.collection("users").insertOne([
                "_id": .int64(carol.id), "phone": "79995550003", "first_name": "Carol", "language": "en",
                "role": "user", "access": "active", "granted_by": "allowed_phones",
            ])
            let carolReplies = try await bot.say(carol, "/monitoring")
            #expect(carolReplies.first?.text.contains("has been revoked") == true)
            #expect(try await document(bot, carol)?["access"] == "revoked")
        }
    }

    @Test func anUpgradedDatabaseWithUsersButNoAdminIsWarnedAboutAtStart() async throws {
        let repositories = Repositories.inMemory()
        let access = BotServices(repositories: repositories, settings: BotSettings()).access
        #expect(try await access.adminlessWarning() == nil)
        try await repositories.users.upsert(UserRecord(id: 1, phone: "1", firstName: "Old", grantedBy: .migrated))
        #expect(try await access.adminlessWarning()?.contains("ADMIN_IDS") == true)
        let listed = BotServices(repositories: repositories, settings: BotSettings(adminIDs: [9])).access
        #expect(try await listed.adminlessWarning() == nil)
    }
}
