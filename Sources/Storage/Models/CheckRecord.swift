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

    public init(
        monitorID: ObjectId, ownerID: Int64, at: Date, ok: Bool, rttMs: Double? = nil, httpStatus: Int? = nil,
        error: String? = nil
    ) {
        self.monitorID = monitorID
        self.ownerID = ownerID
        self.at = at
        self.ok = ok
        self.rttMs = rttMs
        self.httpStatus = httpStatus
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case monitorID = "monitor_id"
        case ownerID = "owner_id"
        case at, ok
        case rttMs = "rtt_ms"
        case httpStatus = "http_status"
        case error
    }
}

/// Share of successful checks over a period.
public struct UptimeSummary: Sendable, Equatable {
    public var total: Int
    public var ok: Int
    public var ratio: Double? { total == 0 ? nil : Double(ok) / Double(total) }

    public init(total: Int, ok: Int) {
        self.total = total
        self.ok = ok
    }
}
