import Curl
import Foundation
import Storage

/// Certificate expiry warnings ahead: 30, 14, 7 and 1 days before a site's certificate expires,
/// each once per certificate. A certificate first seen with 10 days left gets the 14-day warning
/// only (the 30-day one is past and marked so); a renewed certificate starts with none sent.
enum CertificateWarnings {
    static let thresholds = [30, 14, 7, 1]

    /// The record to keep for `seen` and the threshold to announce now, if any. `enabled` false
    /// (the owner switched warnings off, or is muted) records the certificate but marks nothing,
    /// so the warning still goes out once they are on again.
    static func evaluate(seen: ServerCertificate, stored: CertificateRecord?, now: Date, enabled: Bool)
        -> (record: CertificateRecord, warnDays: Int?)
    {
        var record = CertificateRecord(notAfter: seen.notAfter, issuer: seen.issuer, serial: seen.serial)
        if let stored, stored.isSame(as: record) { record.warned = stored.warned }
        let daysLeft = seen.notAfter.timeIntervalSince(now) / 86_400
        // An expired certificate fails the check itself; nothing to warn about ahead.
        guard enabled, daysLeft > 0 else { return (record, nil) }
        let crossed = thresholds.filter { daysLeft <= Double($0) }
        guard let nearest = crossed.min(), !record.warned.contains(nearest) else { return (record, nil) }
        record.warned = Array(Set(record.warned).union(crossed)).sorted(by: >)
        return (record, nearest)
    }
}
