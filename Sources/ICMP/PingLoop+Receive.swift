import CICMP
import Glibc

extension PingLoop {
    /// Reads every queued reply on `fd`, in batches; returns how many datagrams were read.
    @discardableResult
    func receiveAll(from fd: Int32, v6: Bool) -> Int {
        guard fd >= 0 else { return 0 }
        let hasIPv4Header = sockets.mode == .raw && !v6
        var total = 0
        while true {
            let count = receiver.receive(from: fd)
            guard count > 0 else { return total }
            total += count
            var fallbackTime: Int64 = 0
            for index in 0..<count {
                guard let reply = receiver.reply(at: index, hasIPv4Header: hasIPv4Header, v6: v6),
                    let source = receiver.source(at: index)
                else { continue }
                var receivedAt = receiver.kernelTimestamp(at: index)
                if receivedAt == 0 {
                    if fallbackTime == 0 { fallbackTime = realtimeNanoseconds() }
                    receivedAt = fallbackTime
                }
                match(reply, from: source, at: receivedAt)
            }
            if count < ReceiveBatch.capacity { return total }
        }
    }

    private func match(_ reply: EchoPacket.Reply, from source: IPAddress, at receivedAt: Int64) {
        // Raw sockets see every echo reply on the host; datagram sockets get only their own, and
        // there the kernel chose the identifier, so it is not ours to check.
        if sockets.mode == .raw, reply.identifier != identifier { return }
        let slot = inFlight + Int(reply.sequence)
        let jobKey = slot.pointee.jobKey
        guard jobKey != 0, let job = jobs[jobKey] else { return }
        let target = Int(slot.pointee.target)
        guard let address = job.targets[target].address, address.isSameHost(as: source) else { return }
        let rtt = max(0, receivedAt - slot.pointee.sentAtRealtime)
        slot.pointee.jobKey = 0
        inFlightCount -= 1
        job.stats[target].outstanding -= 1
        job.stats[target].received += 1
        job.stats[target].rttSum += rtt
        job.stats[target].rttMin = min(job.stats[target].rttMin, rtt)
        job.stats[target].rttMax = max(job.stats[target].rttMax, rtt)
        if job.stats[target].isFinished { targetFinished(job) }
    }
}

/// Buffers for `recvmmsg`, allocated once: one call reads up to `capacity` replies.
final class ReceiveBatch {
    static let capacity = 64
    /// A maximal IPv4 header (60) plus the ICMP header fits; the payload is cut off, and not needed.
    static let packetBytes = 128
    static let controlBytes = 64

    let messages = UnsafeMutablePointer<cicmp_mmsghdr>.allocate(capacity: capacity)
    let vectors = UnsafeMutablePointer<iovec>.allocate(capacity: capacity)
    let names = UnsafeMutablePointer<sockaddr_in6>.allocate(capacity: capacity)
    let packets = UnsafeMutableRawPointer.allocate(byteCount: capacity * packetBytes, alignment: 8)
    let controls = UnsafeMutableRawPointer.allocate(byteCount: capacity * controlBytes, alignment: 8)

    init() {
        names.initialize(repeating: sockaddr_in6(), count: Self.capacity)
        for index in 0..<Self.capacity {
            vectors[index] = iovec(iov_base: packets + index * Self.packetBytes, iov_len: Self.packetBytes)
            var message = cicmp_mmsghdr()
            message.msg_hdr.msg_name = UnsafeMutableRawPointer(names + index)
            message.msg_hdr.msg_iov = vectors + index
            message.msg_hdr.msg_iovlen = 1
            message.msg_hdr.msg_control = controls + index * Self.controlBytes
            messages[index] = message
        }
    }

    deinit {
        messages.deallocate()
        vectors.deallocate()
        names.deallocate()
        packets.deallocate()
        controls.deallocate()
    }

    /// Datagrams read without blocking; 0 when none is queued.
    func receive(from fd: Int32) -> Int {
        for index in 0..<Self.capacity {
            // The kernel shrinks these to what it wrote; give each message its full room back.
            messages[index].msg_hdr.msg_namelen = socklen_t(MemoryLayout<sockaddr_in6>.size)
            messages[index].msg_hdr.msg_controllen = Self.controlBytes
        }
        let count = cicmp_recvmmsg(fd, messages, UInt32(Self.capacity), cicmp_msg_dontwait)
        if count < 0, errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR {
            // A pending socket error keeps poll reporting the socket ready; reading SO_ERROR clears it.
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        }
        return max(0, Int(count))
    }

    func reply(at index: Int, hasIPv4Header: Bool, v6: Bool) -> EchoPacket.Reply? {
        let bytes = UnsafeRawBufferPointer(
            start: packets + index * Self.packetBytes, count: min(Int(messages[index].msg_len), Self.packetBytes))
        return EchoPacket.parseReply(bytes, hasIPv4Header: hasIPv4Header, v6: v6)
    }

    func source(at index: Int) -> IPAddress? {
        guard messages[index].msg_hdr.msg_namelen >= socklen_t(MemoryLayout<sockaddr_in>.size) else { return nil }
        return UnsafeMutableRawPointer(names + index).withMemoryRebound(to: sockaddr.self, capacity: 1) {
            IPAddress($0)
        }
    }

    /// SO_TIMESTAMPNS receive time (CLOCK_REALTIME), or 0 when the kernel attached none.
    func kernelTimestamp(at index: Int) -> Int64 {
        let header =
            (UnsafeMutableRawPointer(messages + index) + (MemoryLayout<cicmp_mmsghdr>.offset(of: \.msg_hdr) ?? 0))
            .assumingMemoryBound(to: msghdr.self)
        guard let control = cicmp_cmsg_firsthdr(header),
            control.pointee.cmsg_level == SOL_SOCKET, control.pointee.cmsg_type == SO_TIMESTAMPNS
        else { return 0 }
        let stamp = UnsafeRawPointer(cicmp_cmsg_data(control)).loadUnaligned(as: timespec.self)
        return Int64(stamp.tv_sec) * 1_000_000_000 + Int64(stamp.tv_nsec)
    }
}
