import BSON
import Foundation
import Storage
import TelegramAPI

/// "Depends on": a device behind a switch, a site behind a proxy. While the parent is down, the
/// child's down alerts wait and are summed up in the parent's. A parent must be the owner's, must
/// exist, and must not depend (through others) on the child: cycles are refused.
enum DependencyHandlers {
    /// Candidates listed as buttons at most (the rest: the owner can pick from the first ones).
    static let maxChoices = 40

    static func menu(_ c: BotContext) async throws {
        guard let child = try await MonitoringHandlers.ownedMonitor(c, prefix: CallbackData.dependsMenu) else { return }
        c.answer()
        let others = try await c.dependencies.catalog.list(ownerID: c.from.id).filter { $0.id != child.id }
        var rows = try others.prefix(maxChoices).map { parent in
            let mark = parent.id == child.dependsOn ? "• " : ""
            return [
                try Keyboards.button(
                    "\(mark)\(MonitorFormatting.statusEmoji(parent)) \(TelegramText.truncated(parent.name, toUTF16: MonitorFormatting.listNameLength))",
                    "\(CallbackData.dependsSet)\(child.id.hex):\(parent.id.hex)")
            ]
        }
        rows.append([try Keyboards.button(c.texts.dependsNone, "\(CallbackData.dependsSet)\(child.id.hex):-")])
        rows.append([try Keyboards.button(c.texts.backButton, CallbackData.open + child.id.hex)])
        try await c.show(c.texts.dependsTitle(child), keyboard: InlineKeyboardMarkup(rows))
    }

    static func set(_ c: BotContext) async throws {
        guard let data = c.callback?.data, data.hasPrefix(CallbackData.dependsSet) else { return }
        let parts = data.dropFirst(CallbackData.dependsSet.count).split(separator: ":")
        guard parts.count == 2, let childID = ObjectId(hex: String(parts[0])),
            let child = try await c.dependencies.catalog.owned(childID, by: c.from.id)
        else {
            c.answer(c.texts.notFound, alert: true)
            return
        }
        var parentID: ObjectId?
        if parts[1] != "-" {
            // A deleted monitor, someone else's, or a forged id: not a parent.
            guard let id = ObjectId(hex: String(parts[1])), id != child.id,
                try await c.dependencies.catalog.owned(id, by: c.from.id) != nil
            else {
                c.answer(c.texts.notFound, alert: true)
                return
            }
            let monitors = try await c.dependencies.catalog.list(ownerID: c.from.id)
            if createsCycle(child: child.id, parent: id, monitors: monitors) {
                c.answer(c.texts.dependencyCycle, alert: true)
                return
            }
            parentID = id
        }
        guard
            let updated = try await c.dependencies.catalog.update(
                child.id, ownerID: c.from.id, MonitorChanges(dependsOn: .some(parentID)))
        else {
            c.answer(c.texts.notFound, alert: true)
            return
        }
        c.answer(parentID == nil ? c.texts.dependencyRemoved : c.texts.dependencySaved)
        try await MonitoringHandlers.showItem(c, updated)
    }

    /// Whether following `parent`'s own dependencies leads back to `child`.
    static func createsCycle(child: ObjectId, parent: ObjectId, monitors: [MonitorRecord]) -> Bool {
        let parents = Dictionary(monitors.map { ($0.id, $0.dependsOn) }, uniquingKeysWith: { first, _ in first })
        var current: ObjectId? = parent
        var visited: Set<ObjectId> = []
        while let id = current {
            if id == child { return true }
            guard visited.insert(id).inserted else { return false }  // a cycle not through the child (hand-edited)
            current = parents[id] ?? nil
        }
        return false
    }
}
