import Foundation
import Testing

/// docs/ARCHITECTURE.md stays true to Package.swift: its module list names every target, and only those.
struct ArchitectureDocTests {
    /// The package root, three levels above this file (Tests/UptimeBotTests/ArchitectureDocTests.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: packageRoot.appendingPathComponent(relativePath), encoding: .utf8)
    }

    /// Every `name:` of a `.target`, `.testTarget`, `.executableTarget` or `.systemLibrary` in Package.swift.
    static func packageTargets(_ manifest: String) throws -> Set<String> {
        let declaration = try Regex(#"\.(target|testTarget|executableTarget|systemLibrary)\(\s*name:\s*"([^"]+)""#)
        return Set(
            manifest.matches(of: declaration).compactMap { match in
                match.output[2].substring.map(String.init)
            })
    }

    /// The names in backticks at the start of each item between the `modules: begin` and `modules: end` markers.
    static func documentedModules(_ document: String) throws -> Set<String> {
        let begin = try #require(document.range(of: "<!-- modules: begin -->"))
        let end = try #require(document.range(of: "<!-- modules: end -->"))
        let list = document[begin.upperBound..<end.lowerBound]
        var names = Set<String>()
        for line in list.split(separator: "\n") {
            // An item's names are the backticked words before the first " — " (or the whole line when
            // it continues a list of names).
            let head = line.split(separator: "—", maxSplits: 1).first ?? line
            for match in head.matches(of: try Regex("`([^`]+)`")) {
                if let name = match.output[1].substring { names.insert(String(name)) }
            }
        }
        return names
    }

    @Test func moduleListNamesExactlyThePackageTargets() throws {
        let targets = try Self.packageTargets(Self.text("Package.swift"))
        let documented = try Self.documentedModules(Self.text("docs/ARCHITECTURE.md"))
        #expect(targets.count > 20, "Package.swift parsed to \(targets.sorted())")
        #expect(
            targets.subtracting(documented).isEmpty,
            "targets missing from docs/ARCHITECTURE.md: \(targets.subtracting(documented).sorted())")
        #expect(
            documented.subtracting(targets).isEmpty,
            "docs/ARCHITECTURE.md names modules Package.swift does not have: \(documented.subtracting(targets).sorted())"
        )
    }

    @Test func parsersFindTargetsAndListedModules() throws {
        let manifest = #"""
            .target(name: "A", dependencies: ["B"]),
            .testTarget(
                name: "ATests", dependencies: ["A"]),
            .systemLibrary(name: "CA", pkgConfig: "a"),
            """#
        #expect(try Self.packageTargets(manifest) == ["A", "ATests", "CA"])
        let document = """
            <!-- modules: begin -->
            - `A` → B — uses `C` in prose
            - `ATests`, `CA` — two
            <!-- modules: end -->
            """
        #expect(try Self.documentedModules(document) == ["A", "ATests", "CA"])
    }
}
