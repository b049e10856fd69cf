/// An entry of TARGET_ALLOW / TARGET_DENY that is neither a CIDR range nor a host-name suffix.
public struct TargetPolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    public var setting: String
    public var entry: String

    public init(setting: String, entry: String) {
        self.setting = setting
        self.entry = entry
    }

    public var description: String {
        "\"\(entry)\" is not a CIDR range (10.0.0.0/8, fd00::/8) or a host-name suffix (.corp.example)"
    }
}

extension TargetPolicy.Rules {
    /// Reads a comma- (or space-) separated list. Anything that looks like an address (digits and
    /// dots only, or a colon) must be a valid address or CIDR block; a typo never widens the policy.
    public static func parse(_ text: String, setting: String) throws(TargetPolicyError) -> Self {
        var rules = Self()
        for item in text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" || $0 == "\t" }) {
            let entry = String(item)
            let looksNumeric =
                entry.contains(":") || entry.contains("/")
                || entry.allSatisfy { $0 == "." || ($0.isASCII && $0.isNumber) }
            if looksNumeric {
                guard let range = AddressRange(entry) else { throw TargetPolicyError(setting: setting, entry: entry) }
                rules.ranges.append(range)
                continue
            }
            let name = TargetPolicy.normalizedName(entry)
            let labels = name.split(separator: ".", omittingEmptySubsequences: false)
            let valid =
                !name.isEmpty && name.utf8.count <= 253
                && labels.allSatisfy { label in
                    !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                        && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
                }
            guard valid else { throw TargetPolicyError(setting: setting, entry: entry) }
            rules.nameSuffixes.append(name)
        }
        return rules
    }
}

extension TargetPolicy {
    /// The host names in a `mongodb://` or `mongodb+srv://` URI (credentials, ports, options dropped).
    public static func databaseHosts(inURI uri: String) -> [String] {
        guard let schemeEnd = uri.firstRange(of: "://") else { return [] }
        var rest = uri[schemeEnd.upperBound...]
        rest = rest.prefix { $0 != "/" && $0 != "?" }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        return rest.split(separator: ",").compactMap { item -> String? in
            let host: Substring
            if item.hasPrefix("["), let end = item.firstIndex(of: "]") {
                host = item[item.index(after: item.startIndex)..<end]
            } else {
                host = item.split(separator: ":", maxSplits: 1).first ?? item
            }
            // A socket path (/tmp/mongodb-27017.sock, percent-encoded) is no network target.
            guard !host.isEmpty, !host.contains("%2F"), !host.contains("%2f") else { return nil }
            return String(host).lowercased()
        }
    }
}
