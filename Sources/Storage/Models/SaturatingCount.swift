extension Int {
    /// One more, stopping at `Int.max`: counters read back from MongoDB may have been edited by
    /// hand, and `+ 1` on them must never trap.
    public var saturatingIncrement: Int { self == .max ? .max : self + 1 }
}
