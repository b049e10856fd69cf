import HumanFormatting
import Storage
import Targets

/// The operator's target policy (TARGET_ALLOW / TARGET_DENY) as the add and edit dialogs see it:
/// the one line naming the rule that refuses a target, or nil. The composition root wires it to
/// the Checks module's policy, so the Bot holds neither a resolver nor the policy itself.
public struct TargetVetting: Sendable {
    public let refusal:
        @Sendable (_ kind: TargetKind, _ target: String, _ ownerIsAdmin: Bool, _ language: Language) async -> String?

    public init(
        refusal:
            @escaping @Sendable (_ kind: TargetKind, _ target: String, _ ownerIsAdmin: Bool, _ language: Language) async
            -> String?
    ) {
        self.refusal = refusal
    }
}

extension BotContext {
    /// Why the target policy refuses `target` for the user of this update, or nil.
    func policyRefusal(kind: TargetKind, target: String) async -> String? {
        await dependencies.targetVetting?.refusal(
            kind, target, dependencies.settings.adminIDs.contains(from.id), texts.language)
    }
}
