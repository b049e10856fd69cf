import CAres

/// One c-ares channel (one server, or the system resolver, with one timeout) and the sockets it
/// wants watched. Touched by the loop thread only, c-ares' callbacks included.
final class DNSChannel {
    struct Interest {
        var read: Bool
        var write: Bool
    }

    let key: String
    private(set) var handle: ares_channel?
    /// What c-ares asked to watch, per socket (its sock-state callback keeps this current).
    var sockets: [Int32: Interest] = [:]
    /// Queries sent on this channel and not yet called back.
    var pending = 0
    var lastUsed = ContinuousClock.now

    init(key: String, server: String?, timeoutMilliseconds: Int32) throws(DNSLoopError) {
        self.key = key
        var options = ares_options()
        // NOCHECKRESP: a SERVFAIL or REFUSED reply is the answer, not a reason to try the query again.
        options.flags = ARES_FLAG_NOCHECKRESP
        options.timeout = timeoutMilliseconds
        options.tries = 1
        options.sock_state_cb = { data, socket, readable, writable in
            guard let data else { return }
            let channel = Unmanaged<DNSChannel>.fromOpaque(data).takeUnretainedValue()
            channel.sockets[socket] =
                readable == 0 && writable == 0 ? nil : Interest(read: readable != 0, write: writable != 0)
        }
        options.sock_state_cb_data = Unmanaged.passUnretained(self).toOpaque()
        let mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB
        var handle: ares_channel?
        let status = ares_init_options(&handle, &options, mask)
        guard status == ARES_SUCCESS, let handle else {
            throw DNSLoopError(description: "ares_init_options: \(String(cString: ares_strerror(status)))")
        }
        if let server {
            let set = ares_set_servers_ports_csv(handle, server)
            guard set == ARES_SUCCESS else {
                ares_destroy(handle)
                throw DNSLoopError(description: "DNS server \(server): \(String(cString: ares_strerror(set)))")
            }
        }
        self.handle = handle
    }

    /// Ends the channel; c-ares calls back every query still on it (ARES_EDESTRUCTION).
    func destroy() {
        guard let handle else { return }
        self.handle = nil
        ares_destroy(handle)
        sockets = [:]
    }
}
