import Checks
import Testing

/// The policy's rules as operators read them in the README: deny wins, an empty allow list allows
/// the rest, loopback is for admins, some ranges are never checked.
struct TargetPolicyTests {
    func policy(allow: String = "", deny: String = "", databaseAddresses: [String] = []) throws -> TargetPolicy {
        TargetPolicy(
            allow: try .parse(allow, setting: "TARGET_ALLOW"), deny: try .parse(deny, setting: "TARGET_DENY"),
            databaseHosts: ["mongodb"], databaseAddresses: Set(databaseAddresses.compactMap(IPBytes.init)))
    }

    func refusal(_ policy: TargetPolicy, _ address: String, host: String? = nil, admin: Bool = false)
        -> TargetRefusal.Rule?
    {
        guard let bytes = IPBytes(address) else {
            Issue.record("not an address: \(address)")
            return nil
        }
        return policy.refusal(address: bytes, host: host, ownerIsAdmin: admin)?.rule
    }

    @Test func anEmptyPolicyAllowsOrdinaryAddressesAndRefusesTheBuiltInRanges() throws {
        let open = try policy()
        #expect(refusal(open, "10.0.0.5") == nil)
        #expect(refusal(open, "2001:db8::1") == nil)
        #expect(refusal(open, "169.254.169.254") == .builtIn(range: "169.254.0.0/16"))
        #expect(refusal(open, "fe80::1") == .builtIn(range: "fe80::/10"))
        #expect(refusal(open, "0.0.0.0") == .builtIn(range: "0.0.0.0/8"))
        #expect(refusal(open, "::") == .builtIn(range: "::/128"))
    }

    @Test func denyWinsOverAllow() throws {
        let both = try policy(allow: "10.0.0.0/8", deny: "10.0.5.0/24")
        #expect(refusal(both, "10.0.4.1") == nil)
        #expect(refusal(both, "10.0.5.1") == .targetDeny(entry: "10.0.5.0/24"))
        #expect(refusal(try policy(allow: "169.254.0.0/16"), "169.254.169.254") == .builtIn(range: "169.254.0.0/16"))
    }

    @Test func aNonEmptyAllowListAllowsOnlyItsRangesAndNames() throws {
        let only = try policy(allow: "192.0.2.0/24, .corp.example")
        #expect(refusal(only, "192.0.2.7") == nil)
        #expect(refusal(only, "10.1.1.1", host: "intranet.corp.example") == nil)
        #expect(refusal(only, "10.1.1.1", host: "corp.example") == nil)
        #expect(refusal(only, "10.1.1.1", host: "evilcorp.example") == .notInTargetAllow)
        #expect(refusal(only, "10.1.1.1") == .notInTargetAllow)
    }

    @Test func nameSuffixesInTargetDenyRefuseTheNameAndEveryNameUnderIt() throws {
        let names = try policy(deny: "internal.example.")
        #expect(refusal(names, "192.0.2.1", host: "db.Internal.example") == .targetDeny(entry: ".internal.example"))
        #expect(refusal(names, "192.0.2.1", host: "internal.example") == .targetDeny(entry: ".internal.example"))
        #expect(refusal(names, "192.0.2.1", host: "notinternal.example") == nil)
        #expect(
            names.refusal(host: "x.internal.example", ownerIsAdmin: true)?.rule
                == .targetDeny(entry: ".internal.example"))
    }

    @Test func loopbackIsForAdminsOnlyWhateverTargetAllowSaysAndTargetDenyStillApplies() throws {
        let rules = try policy(allow: "192.0.2.0/24", deny: "127.0.9.0/24")
        #expect(refusal(rules, "127.0.0.1") == .loopbackForAdminsOnly)
        #expect(refusal(rules, "::1") == .loopbackForAdminsOnly)
        #expect(refusal(rules, "127.0.0.1", admin: true) == nil)
        #expect(refusal(rules, "::1", admin: true) == nil)
        #expect(refusal(rules, "127.0.9.1", admin: true) == .targetDeny(entry: "127.0.9.0/24"))
    }

    @Test func theBotsOwnDatabaseIsRefusedByAddressAndByName() throws {
        let rules = try policy(databaseAddresses: ["172.18.0.2"])
        #expect(refusal(rules, "172.18.0.2") == .botDatabase)
        #expect(refusal(rules, "172.18.0.3", host: "MongoDB") == .botDatabase)
        #expect(rules.refusal(host: "mongodb", ownerIsAdmin: true)?.rule == .botDatabase)
    }

    @Test func anIPv4MappedIPv6AddressIsJudgedAsTheIPv4HostItReaches() throws {
        let rules = try policy(deny: "10.0.0.0/8")
        #expect(refusal(rules, "::ffff:10.1.2.3") == .targetDeny(entry: "10.0.0.0/8"))
        #expect(refusal(rules, "::ffff:169.254.169.254") == .builtIn(range: "169.254.0.0/16"))
        #expect(refusal(try policy(deny: "::ffff:10.0.0.0/104"), "10.9.9.9") == .targetDeny(entry: "10.0.0.0/8"))
    }

    @Test func aRefusalIsOneLineNamingTheRule() throws {
        let rules = try policy(deny: "127.0.9.0/24")
        let line = rules.refusal(address: try #require(IPBytes("127.0.9.1")), host: "denied.test", ownerIsAdmin: true)
        #expect(line?.description == "denied.test (127.0.9.1) is denied by TARGET_DENY (127.0.9.0/24)")
        let loopback = rules.refusal(address: try #require(IPBytes("127.0.0.1")), host: nil, ownerIsAdmin: false)
        #expect(loopback?.description == "127.0.0.1 is denied by the target policy (loopback is for admins only)")
    }

    @Test(arguments: [
        "10.0.0.0/33", "300.1.1.1", "10.0.0.0/", "fe80::/129", "10.0.0.0/8x", "bad_name.example", "-x.example", "1.2.3",
    ])
    func aMalformedEntryIsRefusedWithItsSetting(entry: String) throws {
        #expect(throws: TargetPolicyError(setting: "TARGET_DENY", entry: entry)) {
            try TargetPolicy.Rules.parse("10.0.0.0/8, \(entry)", setting: "TARGET_DENY")
        }
    }

    @Test func wellFormedListsReadRangesAndSuffixes() throws {
        let rules = try TargetPolicy.Rules.parse(
            " 10.0.0.0/8 ,fd00::/8  .Corp.Example,192.0.2.1", setting: "TARGET_ALLOW")
        #expect(rules.ranges.map(\.description) == ["10.0.0.0/8", "fd00::/8", "192.0.2.1/32"])
        #expect(rules.nameSuffixes == ["corp.example"])
        #expect(try TargetPolicy.Rules.parse("", setting: "TARGET_ALLOW").isEmpty)
    }

    @Test func theDatabaseHostsAreReadFromTheURIWithoutCredentials() {
        #expect(
            TargetPolicy.databaseHosts(inURI: "mongodb://bot:Pa55@mongodb:27017/uptimebot?authSource=admin") == [
                "mongodb"
            ])
        #expect(
            TargetPolicy.databaseHosts(inURI: "mongodb://a.example:1,[fd00::7]:2,b/x") == ["a.example", "fd00::7", "b"])
        #expect(TargetPolicy.databaseHosts(inURI: "mongodb://%2Ftmp%2Fmongodb-27017.sock") == [])
    }
}
