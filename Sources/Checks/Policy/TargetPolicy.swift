/// Which addresses and host names checks may reach, so the bot cannot be used to scan the
/// operator's network (TARGET_ALLOW / TARGET_DENY).
///
/// An address (with the host name it was reached by, if any) is allowed when, in this order:
/// 1. it matches no TARGET_DENY entry (a range containing the address, or a name suffix of the host);
/// 2. it is in no built-in denied range: 169.254.0.0/16, fe80::/10 (link-local, cloud metadata),
///    0.0.0.0/8 and :: ("this host"), and it is not the bot's own MongoDB host;
/// 3. loopback (127.0.0.0/8, ::1) is allowed for admins only, whatever TARGET_ALLOW says;
/// 4. when TARGET_ALLOW is not empty, the address is in one of its ranges or the host name under
///    one of its suffixes; an empty TARGET_ALLOW allows every address the rules above leave.
/// Deny always wins over allow. A name suffix ".corp.example" (the dot is optional) matches
/// "corp.example" and every name under it.
public struct TargetPolicy: Sendable, Hashable {
    /// Ranges and host-name suffixes of one setting.
    public struct Rules: Sendable, Hashable {
        public var ranges: [AddressRange]
        /// Lowercased, without leading or trailing dots.
        public var nameSuffixes: [String]

        public init(ranges: [AddressRange] = [], nameSuffixes: [String] = []) {
            self.ranges = ranges
            self.nameSuffixes = nameSuffixes
        }

        public var isEmpty: Bool { ranges.isEmpty && nameSuffixes.isEmpty }

        func range(containing address: IPBytes) -> AddressRange? {
            ranges.first { $0.contains(address) }
        }

        func suffix(matching host: String?) -> String? {
            guard let host = host.map(TargetPolicy.normalizedName), !host.isEmpty else { return nil }
            return nameSuffixes.first { host == $0 || host.hasSuffix("." + $0) }
        }
    }

    /// Never checked, for anyone.
    public static let builtInDenied: [AddressRange] = ["169.254.0.0/16", "fe80::/10", "0.0.0.0/8", "::/128"]
        .compactMap(AddressRange.init)
    /// Checked for admins only.
    public static let loopback: [AddressRange] = ["127.0.0.0/8", "::1/128"].compactMap(AddressRange.init)

    /// TARGET_ALLOW.
    public var allow: Rules
    /// TARGET_DENY.
    public var deny: Rules
    /// The bot's MongoDB: its host names (exact, lowercased) and the addresses they resolved to at start.
    public var databaseHosts: Set<String>
    public var databaseAddresses: Set<IPBytes>

    public init(
        allow: Rules = Rules(), deny: Rules = Rules(), databaseHosts: Set<String> = [],
        databaseAddresses: Set<IPBytes> = []
    ) {
        self.allow = allow
        self.deny = deny
        self.databaseHosts = Set(databaseHosts.map(Self.normalizedName))
        self.databaseAddresses = databaseAddresses
    }

    /// The refusal for `address` reached as `host` (nil for a bare address), or nil when allowed.
    public func refusal(address: IPBytes, host: String?, ownerIsAdmin: Bool) -> TargetRefusal? {
        let subject = host.map { IPBytes($0) == nil ? "\($0) (\(address))" : "\(address)" } ?? "\(address)"
        if let range = deny.range(containing: address) {
            return TargetRefusal(rule: .targetDeny(entry: range.description), subject: subject)
        }
        if let suffix = deny.suffix(matching: host) {
            return TargetRefusal(rule: .targetDeny(entry: "." + suffix), subject: subject)
        }
        if let range = Self.builtInDenied.first(where: { $0.contains(address) }) {
            return TargetRefusal(rule: .builtIn(range: range.description), subject: subject)
        }
        if databaseAddresses.contains(address) || host.map({ databaseHosts.contains(Self.normalizedName($0)) }) == true
        {
            return TargetRefusal(rule: .botDatabase, subject: subject)
        }
        if Self.loopback.contains(where: { $0.contains(address) }) {
            return ownerIsAdmin ? nil : TargetRefusal(rule: .loopbackForAdminsOnly, subject: subject)
        }
        if !allow.isEmpty, allow.range(containing: address) == nil, allow.suffix(matching: host) == nil {
            return TargetRefusal(rule: .notInTargetAllow, subject: subject)
        }
        return nil
    }

    /// What can be told from a host name alone (a redirect hop through a proxy, whose address the
    /// proxy resolves): a literal address is judged in full, a name by TARGET_DENY's suffixes and
    /// the database's names only.
    public func refusal(host: String, ownerIsAdmin: Bool) -> TargetRefusal? {
        if let address = IPBytes(host) { return refusal(address: address, host: nil, ownerIsAdmin: ownerIsAdmin) }
        if let suffix = deny.suffix(matching: host) {
            return TargetRefusal(rule: .targetDeny(entry: "." + suffix), subject: host)
        }
        if databaseHosts.contains(Self.normalizedName(host)) {
            return TargetRefusal(rule: .botDatabase, subject: host)
        }
        return nil
    }

    /// The first refusal among the addresses a name resolved to: a name is allowed only when
    /// every address it may be reached at is.
    public func refusal(addresses: [IPBytes], host: String?, ownerIsAdmin: Bool) -> TargetRefusal? {
        addresses.lazy.compactMap { refusal(address: $0, host: host, ownerIsAdmin: ownerIsAdmin) }.first
    }

    static func normalizedName(_ name: String) -> String {
        var text = Substring(name.lowercased())
        while text.hasPrefix(".") { text = text.dropFirst() }
        while text.hasSuffix(".") { text = text.dropLast() }
        return String(text)
    }
}
