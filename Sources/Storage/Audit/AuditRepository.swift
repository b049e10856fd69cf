/// Admin actions, kept for AUDIT_RETENTION_DAYS.
public protocol AuditRepository: Sendable {
    func record(_ entry: AuditEntry) async throws
    /// Newest first.
    func recent(limit: Int) async throws -> [AuditEntry]
}
