import Foundation
import Storage
import Targets

/// The verdict on one line of a bulk add.
public struct BulkVerdict: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case added(MonitorRecord)
        case invalidTarget(TargetError)
        case invalidName
        case unknownKind(String)
        /// The target policy's rule (TARGET_ALLOW / TARGET_DENY).
        case denied(String)
        case alreadyWatched
        /// The same target as an earlier line of this list.
        case repeated(line: Int)
        /// MAX_MONITORS_PER_USER.
        case limitReached(Int)
        /// MAX_ADDS_PER_MINUTE.
        case tooManyAdds(Int)
    }

    public enum Group: Sendable { case added, refused, overLimit }

    public var line: Int
    /// The target normalized when it parsed, else as written.
    public var target: String
    public var outcome: Outcome

    public var group: Group {
        switch outcome {
        case .added: .added
        case .limitReached, .tooManyAdds: .overLimit
        default: .refused
        }
    }
}

/// Adds many monitors at once with the single add's rules, line by line: the same parser, the same
/// target policy, and `MonitorCatalog.add` with its limits (MAX_MONITORS_PER_USER, MAX_ADDS_PER_MINUTE)
/// and its duplicate refusal. Only the order of work differs: the owner's monitors are read once, and
/// the policy (which may resolve names) looks at the lines in parallel before anything is saved.
enum BulkAdd {
    /// Policy look-ups in flight at once: name resolution is the slow part of a long list.
    static let policyConcurrency = 8
    /// What the Targets module guesses for an address that names no kind.
    static let bareAddressKind = TargetKind.guess("")

    /// - Parameter chosenKind: the kind the user picked with a button, for lines that are a bare address;
    ///   nil guesses each line's.
    static func run(_ entries: [BulkEntry], chosenKind: TargetKind?, _ c: BotContext) async throws -> [BulkVerdict] {
        let catalog = c.dependencies.catalog
        let existing = try await catalog.list(ownerID: c.from.id)
        let watched = Set(existing.map { Watched(kind: $0.kind, target: $0.target) })
        var verdicts: [BulkVerdict?] = Array(repeating: nil, count: entries.count)
        var candidates: [(index: Int, kind: TargetKind, target: String, name: String)] = []
        var seen: [Watched: Int] = [:]
        for (index, entry) in entries.enumerated() {
            func verdict(_ target: String, _ outcome: BulkVerdict.Outcome) {
                verdicts[index] = BulkVerdict(line: entry.line, target: target, outcome: outcome)
            }
            let kind: TargetKind
            if let written = entry.kind {
                guard let known = TargetKind(rawValue: written.lowercased()) else {
                    verdict(entry.target, .unknownKind(written))
                    continue
                }
                kind = known
            } else {
                // A line that names its kind (a scheme) keeps it; a bare address takes the chosen one.
                let guessed = TargetKind.guess(entry.target)
                kind = guessed == bareAddressKind ? chosenKind ?? guessed : guessed
            }
            let target: String
            do {
                target = try TargetParser.parse(entry.target, as: kind)
            } catch {
                verdict(entry.target, .invalidTarget(error))
                continue
            }
            let key = Watched(kind: kind, target: target)
            if let first = seen[key] {
                verdict(target, .repeated(line: first))
                continue
            }
            seen[key] = entry.line
            var name = target
            if let written = entry.name {
                guard let valid = TargetParser.parseName(written) else {
                    verdict(target, .invalidName)
                    continue
                }
                name = valid
            }
            if watched.contains(key) {
                verdict(target, .alreadyWatched)
                continue
            }
            candidates.append((index, kind, target, name))
        }
        let refusals = await policyRefusals(candidates.map { ($0.kind, $0.target) }, c)
        var count = existing.count
        for (candidate, refusal) in zip(candidates, refusals) {
            let entry = entries[candidate.index]
            func verdict(_ outcome: BulkVerdict.Outcome) {
                verdicts[candidate.index] = BulkVerdict(line: entry.line, target: candidate.target, outcome: outcome)
            }
            if let refusal {
                verdict(.denied(refusal))
                continue
            }
            guard count < catalog.limit else {
                verdict(.limitReached(catalog.limit))
                continue
            }
            // Counted once above; this user's updates run one at a time, so only these adds change it.
            let result = try await catalog.add(
                ownerID: c.from.id, kind: candidate.kind, target: candidate.target, name: candidate.name,
                alreadyCountedUnderLimit: true)
            switch result {
            case .added(var monitor):
                count += 1
                if !entry.enabled,
                    let paused = try await catalog.update(
                        monitor.id, ownerID: c.from.id, MonitorChanges(enabled: false))
                {
                    monitor = paused
                }
                verdict(.added(monitor))
            case .duplicate: verdict(.alreadyWatched)
            case .limitReached(let limit): verdict(.limitReached(limit))
            case .tooManyAdds(let perMinute): verdict(.tooManyAdds(perMinute))
            }
        }
        return verdicts.compactMap { $0 }
    }

    private struct Watched: Hashable {
        var kind: TargetKind
        var target: String
    }

    /// The policy's answer for each target, in order, at most `policyConcurrency` at a time.
    private static func policyRefusals(_ targets: [(TargetKind, String)], _ c: BotContext) async -> [String?] {
        guard c.dependencies.targetVetting != nil, !targets.isEmpty else {
            return Array(repeating: nil, count: targets.count)
        }
        var results: [String?] = Array(repeating: nil, count: targets.count)
        await withTaskGroup(of: (Int, String?).self) { group in
            var next = 0
            func startNext() {
                guard next < targets.count else { return }
                let (index, (kind, target)) = (next, targets[next])
                group.addTask { (index, await c.policyRefusal(kind: kind, target: target)) }
                next += 1
            }
            for _ in 0..<policyConcurrency { startNext() }
            while let (index, refusal) = await group.next() {
                results[index] = refusal
                startNext()
            }
        }
        return results
    }
}
