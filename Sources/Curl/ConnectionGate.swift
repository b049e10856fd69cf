/// Decides, for each connection a request opens (the first and every redirect hop), whether the
/// request may go to that address: libcurl's CURLOPT_OPENSOCKETFUNCTION asks it after DNS and
/// before connect() — so a refused address gets no packet, and a closed port cannot be told from
/// an open one — and CURLOPT_PREREQFUNCTION again with the address connected, before a byte of the
/// request is sent. Through a proxy the address is the proxy's; the caller judges the target
/// itself before the request (see the Checks module).
public struct ConnectionGate: Sendable {
    /// The URL being fetched, the address (as libcurl writes it) and port connected to; returns
    /// why the connection is refused, or nil. Runs on the client's loop thread: it must not block.
    public let refusal: @Sendable (_ url: String, _ address: String, _ port: Int) -> String?

    public init(refusal: @escaping @Sendable (_ url: String, _ address: String, _ port: Int) -> String?) {
        self.refusal = refusal
    }
}
