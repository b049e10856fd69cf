import BSON
import Foundation

/// One check result in the history (`checks`), kept for the retention period.
public struct CheckRecord: Codable, Sendable, Equatable {
    public var monitorID: ObjectId
    public var ownerID: Int64
    public var at: Date
    public var ok: Bool
    public var rttMs: Double?
    public var httpStatus: Int?
    public var error: String?
    /// Up but slow (above the monitor's slow threshold or packet loss); absent = not slow.
    public var slow: Bool?
    /// True for a check made during planned maintenance (`maintenance`, absent otherwise): uptime leaves it out.
    public var maintenance: Bool?

    public init(
        monitorID: ObjectId, ownerID: Int64, at: Date, ok: Bool, rttMs: Double? = nil, httpStatus: Int? = nil,
        error: String? = nil, slow: Bool? = nil, maintenance: Bool? = nil
    ) {
        self.slow = slow
        self.monitorID = monitorID
        self.ownerID = ownerID
        self.at = at
        self.ok = ok
        self.rttMs = rttMs
        self.httpStatus = httpStatus
        self.error = error
        self.maintenance = maintenance == true ? true : nil
    }

    enum CodingKeys: String, CodingKey {
        case monitorID = "monitor_id"
        case ownerID = "owner_id"
        case at, ok
        case rttMs = "rtt_ms"
        case httpStatus = "http_status"
        case error, slow, maintenance
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        monitorID = try c.decode(ObjectId.self, forKey: .monitorID)
        ownerID = try c.decode(Int64.self, forKey: .ownerID)
        at = try c.decode(Date.self, forKey: .at)
        ok = try c.decode(Bool.self, forKey: .ok)
        // A NaN or negative time (edited by hand) is read as none.
        rttMs = StoredNumbers.milliseconds((try? c.decodeIfPresent(Double.self, forKey: .rttMs)) ?? nil)
        httpStatus = (try? c.decodeIfPresent(Int.self, forKey: .httpStatus)) ?? nil
        error = (try? c.decodeIfPresent(String.self, forKey: .error)) ?? nil
        slow = (try? c.decodeIfPresent(Bool.self, forKey: .slow)) ?? nil
        maintenance = ((try? c.decodeIfPresent(Bool.self, forKey: .maintenance)) ?? nil) == true ? true : nil
    }
}

/// Share of successful checks over a period.
public struct UptimeSummary: Sendable, Equatable {
    public var total: Int
    public var ok: Int
    /// Of the successful checks, those that were slow.
    public var slow: Int
    public var ratio: Double? { total == 0 ? nil : Double(ok) / Double(total) }
    /// Share of all checks that were up but slow.
    public var slowRatio: Double? { total == 0 ? nil : Double(slow) / Double(total) }

    public init(total: Int, ok: Int, slow: Int = 0) {
        self.total = total
        self.ok = ok
        self.slow = slow
    }
}
