/// The `index`-th of the distinct addresses in 127.0.0.0/8 (all answer on Linux loopback), skipping .0 and .255.
public func loopbackAddress(_ index: Int) -> String {
    "127.\(1 + index / 62_500).\(index / 250 % 250).\(index % 250 + 1)"
}

/// `count` distinct loopback addresses, starting at the `start`-th.
public func loopbackAddresses(_ count: Int, from start: Int = 0) -> [String] {
    (start..<start + count).map(loopbackAddress)
}
