import BSON
import Bot
import FakeTelegramAPI
import Foundation
import Storage
import TestSupport
import Testing

/// Dependencies (issue #17, point 5): a switch down holds the alerts of the twelve devices behind it
/// and its alert sums them up; those still down once it is back alert on their own; a parent that
/// is deleted or would close a cycle is refused.
struct DependencyChatTests {
    let oleg = FakeUser(id: 1901, firstName: "Олег", languageCode: "ru")

    @Test func aParentsOutageHoldsTwelveChildrenAndThoseStillDownAfterItRecoversAlertOnTheirOwn() async throws {
        try await AlertChat.run { chat in
            let bot = chat.bot
            let behind = try await SwitchedSites.start()
            defer { Task { await behind.stop() } }
            try await bot.signIn(oleg)
            let router = try await chat.site(oleg, "router")
            var children: [MonitorRecord] = []
            for index in 1...12 {
                children.append(try await chat.site(oleg, "device-\(index)", on: behind, dependsOn: router))
            }
            for monitor in [router] + children { try await chat.waitUntil(monitor, is: .up) }
            // In mongosh: depends_on: ObjectId(<router>).
            let document = try #require(
                try await bot.database.collection("monitors").find(["_id": .objectId(children[0].id)]).first)
            #expect(document["depends_on"]?.objectIdValue == router.id)

            chat.sites.off()
            behind.off()
            try await waitFor("the router's alert") { !chat.messages(oleg, containing: "router недоступен").isEmpty }
            for child in children { try await chat.waitUntil(child, is: .down) }
            try await chat.waitForChecks(of: router)
            let alert = try #require(chat.messages(oleg, containing: "router недоступен").first)
            #expect(alert.text.contains("…и ещё 12 мониторов за ним"), "\(alert.text)")
            #expect(
                chat.messages(oleg, containing: "device-").isEmpty,
                "children held: \(bot.fake.messages(in: oleg.chatID).map(\.text))")

            // The router is back; the devices stay down: now they alert, each once (grouped).
            chat.sites.on()
            try await chat.waitUntil(router, is: .up)
            try await waitFor("the devices alert on their own") {
                (1...12).allSatisfy { !chat.messages(oleg, containing: "device-\($0) недоступен").isEmpty }
            }
            try await chat.waitForChecks(of: router, seconds: 3)
            for index in 1...12 {
                let count = bot.fake.messages(in: oleg.chatID).map {
                    $0.text.components(separatedBy: "device-\(index) недоступен").count - 1
                }.reduce(0, +)
                #expect(count == 1, "device-\(index) alerted \(count) times")
            }
            let grouped = try #require(chat.messages(oleg, containing: "device-1 недоступен").first)
            #expect(grouped.text.contains("То, от чего он зависит, снова работает"))
            // Buttons: one alert's own, one row per monitor when several, "open all" past eight.
            for message in chat.messages(oleg, containing: "device-") {
                // The router's recovery may share the message with the first devices' alerts (🟢 lines).
                let alerts =
                    message.text.components(separatedBy: "недоступен").count - 1
                    + message.text.components(separatedBy: "🟢").count - 1
                if alerts > 8 {
                    #expect(message.buttons.map(\.callbackData) == ["ml:0"])
                } else {
                    #expect(message.inlineKeyboard.count == (alerts == 1 ? 2 : alerts), "\(message.inlineKeyboard)")
                }
            }
        }
    }

    @Test func aDependencyOnADeletedMonitorOrOneClosingACycleIsRefused() async throws {
        try await AlertChat.run { chat in
            let bot = chat.bot
            try await bot.signIn(oleg)
            let a = try await chat.site(oleg, "a")
            let b = try await chat.site(oleg, "b", dependsOn: a)
            let gone = try await chat.site(oleg, "gone")
            try await bot.say(oleg, "/monitoring")
            try await bot.press(oleg, "a")
            try await bot.press(oleg, "🔗 Зависит от…")
            let menu = try #require(
                bot.fake.history(of: oleg.chatID).last { $0.fromBot && $0.button(labelled: "✖️ Ни от чего") != nil })
            // a → b while b → a: a cycle.
            try await bot.press(oleg, " b")
            #expect(
                bot.fake.calls(method: "answerCallbackQuery").last?.params["text"]?.stringValue?.contains("круг")
                    == true)
            #expect(try await bot.repositories.monitors.get(a.id)?.dependsOn == nil)
            // A monitor deleted since the menu was shown.
            _ = try await bot.repositories.monitors.delete(gone.id, ownerID: oleg.id)
            try await bot.pressData(oleg, "ds:\(a.id.hex):\(gone.id.hex)", on: menu.messageID)
            #expect(
                bot.fake.calls(method: "answerCallbackQuery").last?.params["text"]?.stringValue?.contains("не найден")
                    == true)
            #expect(try await bot.repositories.monitors.get(a.id)?.dependsOn == nil)
            // b's parent deleted later: its view says so, and it alerts as any other.
            _ = try await bot.repositories.monitors.delete(a.id, ownerID: oleg.id)
            try await bot.say(oleg, "/monitoring")
            try await bot.press(oleg, "b")
            #expect(bot.lastText(oleg).contains("Зависит от: (удалён)"))
            #expect(b.dependsOn == a.id)
        }
    }
}
