import CICMP
import Glibc

extension PingLoop {
    enum SendOutcome {
        case sent
        /// Refused for good (e.g. no route): the probe counts as sent and lost.
        case failed(Int32)
        /// The socket buffer is full for now: try the same probe again shortly.
        case retry
    }

    /// Sends what the schedule and the pacer allow, up to one burst (then replies are read, so an
    /// unpaced sweep cannot overrun the receive buffer).
    func sendDue(now: inout Int64) {
        while sentSinceRead < Self.sendBurst, inFlightCount < Self.sequenceSpace,
            let next = sendSchedule.min, next.due <= now, nextSendAt <= now
        {
            sendSchedule.pop()
            guard let job = jobs[next.jobKey] else { continue }
            let target = Int(next.target)
            guard let address = job.targets[target].address else { continue }
            let outcome = send(to: address, job: job, target: target, now: now)
            if case .retry = outcome {
                schedule(job.key, target: target, at: now + 1_000_000)
                return
            }
            if case .failed(let code) = outcome, job.errors[target] == nil {
                job.errors[target] = .sendFailed(host: job.targets[target].name, errno: code)
            }
            sentSinceRead += 1
            // A token bucket holding 1 ms of sends (at least one): a late wakeup does not slow the
            // average pace, and no burst exceeds 1 ms worth of packets.
            let gap = job.options.sendGapNanoseconds
            nextSendAt = max(nextSendAt, now - max(gap, 1_000_000)) + gap
            job.stats[target].unsent -= 1
            if job.stats[target].unsent > 0 {
                schedule(job.key, target: target, at: now + job.options.intervalNanoseconds)
            } else if job.stats[target].isFinished {
                targetFinished(job)
            }
            now = monotonicNanoseconds()
        }
    }

    private func send(to address: IPAddress, job: PingJob, target: Int, now: Int64) -> SendOutcome {
        var sequence = nextSequence
        while inFlight[Int(sequence)].jobKey != 0 { sequence &+= 1 }
        let v6 = !address.isV4
        EchoPacket.writeRequest(into: sendBuffer, v6: v6, identifier: identifier, sequence: sequence)
        let length = EchoPacket.headerSize + job.options.payloadSize
        let fd = sockets.descriptor(for: address)
        let sentAt = realtimeNanoseconds()
        let result: Int
        if v6 {
            address.fill(destinationV6)
            result = destinationV6.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, sendBuffer, length, cicmp_msg_dontwait, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
            }
        } else {
            address.fill(destinationV4)
            result = destinationV4.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, sendBuffer, length, cicmp_msg_dontwait, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        job.stats[target].sent += 1
        guard result >= 0 else {
            let code = errno
            if code == EAGAIN || code == EWOULDBLOCK || code == ENOBUFS || code == EINTR {
                job.stats[target].sent -= 1
                return .retry
            }
            return .failed(code)
        }
        nextSequence = sequence &+ 1
        let slot = inFlight + Int(sequence)
        slot.pointee.jobKey = job.key
        slot.pointee.target = Int32(target)
        slot.pointee.sentAtRealtime = sentAt
        slot.pointee.generation &+= 1
        inFlightCount += 1
        deadlines.push(
            Deadline(at: now + job.options.timeoutNanoseconds, sequence: sequence, generation: slot.pointee.generation))
        job.stats[target].outstanding += 1
        return .sent
    }
}
