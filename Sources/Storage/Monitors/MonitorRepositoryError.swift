public enum MonitorRepositoryError: Error, Equatable, Sendable {
    /// The owner already watches this target.
    case duplicate
}
