/// A host name no lookup can succeed for that never leaves the machine: its first label is longer
/// than DNS allows (63), so glibc's resolver refuses it before asking any nameserver. Tests use it
/// instead of a `.invalid` name, which would be sent to the system's nameserver.
public let unresolvableHost = String(repeating: "x", count: 70) + ".invalid"
