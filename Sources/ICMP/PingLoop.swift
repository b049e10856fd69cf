import CICMP
import Glibc
import Logging

/// The pinger's dedicated thread: paces echo requests out, matches replies by sequence, expires
/// probes. Everything here belongs to that one thread; `PingSubmissionQueue` is the only way in.
final class PingLoop {
    /// A probe awaiting its reply, stored at its sequence number.
    struct InFlight {
        /// 0 when the slot is free.
        var jobKey: UInt32 = 0
        var target: Int32 = 0
        var sentAtRealtime: Int64 = 0
        /// Bumped on every use, so a stale deadline cannot expire the slot's next probe.
        var generation: UInt32 = 0
    }

    struct ScheduledSend: Comparable {
        var due: Int64
        /// FIFO among equal due times: targets go out in the order the caller listed them.
        var order: UInt64
        var jobKey: UInt32
        var target: Int32

        static func < (a: Self, b: Self) -> Bool { a.due != b.due ? a.due < b.due : a.order < b.order }
    }

    struct Deadline: Comparable {
        var at: Int64
        var sequence: UInt16
        var generation: UInt32

        static func < (a: Self, b: Self) -> Bool { a.at < b.at }
    }

    static let sequenceSpace = 1 << 16
    /// Sends per loop turn before replies are read again, so an unpaced burst cannot overrun the receive buffer.
    static let sendBurst = 64

    let sockets: ICMPSockets
    let submissions: PingSubmissionQueue
    let identifier: UInt16
    let logger: Logger

    var jobs: [UInt32: PingJob] = [:]
    var nextJobKey: UInt32 = 1
    let inFlight: UnsafeMutablePointer<InFlight>
    var inFlightCount = 0
    var nextSequence: UInt16
    var sendSchedule = MinHeap<ScheduledSend>()
    var deadlines = MinHeap<Deadline>()
    var sendOrder: UInt64 = 0
    /// Monotonic time before which the pacer allows no send.
    var nextSendAt: Int64 = 0
    var sendBuffer: UnsafeMutableRawPointer
    var sendBufferCapacity: Int
    let destinationV4 = UnsafeMutablePointer<sockaddr_in>.allocate(capacity: 1)
    let destinationV6 = UnsafeMutablePointer<sockaddr_in6>.allocate(capacity: 1)
    let receiver = ReceiveBatch()
    /// How long replies may wait unread while sends keep the loop busy; 0 without kernel timestamps,
    /// where the read time is the receive time and must not lag.
    let readInterval: Int64
    var lastRead: Int64 = 0
    var sentSinceRead = 0

    init(sockets: ICMPSockets, submissions: PingSubmissionQueue, identifier: UInt16, logger: Logger) {
        self.sockets = sockets
        self.submissions = submissions
        self.identifier = identifier
        self.logger = logger
        readInterval = sockets.kernelTimestamps ? 10_000_000 : 0
        inFlight = .allocate(capacity: Self.sequenceSpace)
        inFlight.initialize(repeating: InFlight(), count: Self.sequenceSpace)
        nextSequence = UInt16.random(in: 0 ... .max)
        sendBufferCapacity = EchoPacket.headerSize + 56
        sendBuffer = .allocate(byteCount: sendBufferCapacity, alignment: 8)
        sendBuffer.initializeMemory(as: UInt8.self, repeating: 0, count: sendBufferCapacity)
        destinationV4.initialize(to: sockaddr_in())
        destinationV6.initialize(to: sockaddr_in6())
    }

    deinit {
        inFlight.deallocate()
        sendBuffer.deallocate()
        destinationV4.deallocate()
        destinationV6.deallocate()
    }

    func run() {
        _ = cicmp_set_thread_name("icmp-pinger")
        _ = cicmp_set_timer_slack_ns(1000)
        let pollSet = UnsafeMutablePointer<pollfd>.allocate(capacity: 3)
        defer { pollSet.deallocate() }
        pollSet[0] = pollfd(fd: submissions.wakeDescriptor, events: Int16(POLLIN), revents: 0)
        pollSet[1] = pollfd(fd: sockets.v4, events: Int16(POLLIN), revents: 0)
        pollSet[2] = pollfd(fd: sockets.v6, events: Int16(POLLIN), revents: 0)
        var timeout = timespec()

        while true {
            var now = monotonicNanoseconds()
            // Read replies before expiring anything: a reply may sit unread while its deadline passes.
            if sentSinceRead >= Self.sendBurst || now - lastRead >= readInterval || hasDueDeadline(now: now) {
                readReplies(now: now)
            }
            expireDeadlines(now: now)
            sendDue(now: &now)
            let next = nextEvent()
            // While sends are due soon, replies wait for those wakeups (their kernel timestamps keep
            // RTTs exact), so a reply never costs a wakeup of its own; otherwise they wake the loop.
            let sendingSoon = next.send.map { $0 - now < readInterval } ?? false
            var wakeAt = earliest(next.send, next.deadline)
            if sendingSoon, inFlightCount > 0 { wakeAt = earliest(wakeAt, lastRead + readInterval) }
            if let wakeAt {
                let wait = max(0, wakeAt - now)
                timeout.tv_sec = Int(wait / 1_000_000_000)
                timeout.tv_nsec = Int(wait % 1_000_000_000)
            }
            let watched: UInt = sendingSoon ? 1 : 3
            let ready = withUnsafePointer(to: &timeout) { cicmp_ppoll(pollSet, watched, wakeAt == nil ? nil : $0) }
            if ready < 0 {
                if errno != EINTR {
                    logger.error("ppoll failed", metadata: ["error": "\(String(cString: strerror(errno)))"])
                }
                continue
            }
            guard ready > 0 else { continue }
            if !sendingSoon, pollSet[1].revents != 0 || pollSet[2].revents != 0 {
                readReplies(now: monotonicNanoseconds())
            }
            if pollSet[0].revents != 0, !handleInbox() { break }
        }
        submissions.loopExiting()
        sockets.close()
        close(submissions.wakeDescriptor)
    }

    /// Starts queued submissions and applies cancellations; false once the pinger shuts down.
    private func handleInbox() -> Bool {
        let work = submissions.take()
        for submission in work.submissions {
            if work.shutdown { submission.resume(interruptedBy: .shutdown) } else { start(submission) }
        }
        for id in work.cancellations {
            if let job = jobs.values.first(where: { $0.id == id }) { finish(job, interruptedBy: .cancelled) }
        }
        guard work.shutdown else { return true }
        for job in Array(jobs.values) { finish(job, interruptedBy: .shutdown) }
        return false
    }

    private func start(_ submission: PingSubmission) {
        while nextJobKey == 0 || jobs[nextJobKey] != nil { nextJobKey &+= 1 }
        let job = PingJob(submission, key: nextJobKey)
        nextJobKey &+= 1
        let needed = EchoPacket.headerSize + job.options.payloadSize
        if needed > sendBufferCapacity {
            sendBuffer.deallocate()
            sendBuffer = .allocate(byteCount: needed, alignment: 8)
            sendBuffer.initializeMemory(as: UInt8.self, repeating: 0, count: needed)
            sendBufferCapacity = needed
        }
        // Each target's first probe is due at its own paced slot, not all at once: a call that
        // arrives during a long sweep then interleaves with it instead of queueing behind it.
        var due = monotonicNanoseconds()
        for (index, target) in job.targets.enumerated() {
            guard target.error == nil, let address = target.address, sockets.descriptor(for: address) >= 0 else {
                if target.error == nil, let address = target.address {
                    job.errors[index] = .addressFamilyUnavailable(host: target.name, family: address.familyName)
                }
                job.unfinishedTargets -= 1
                continue
            }
            job.stats[index].unsent = job.options.probes
            schedule(job.key, target: index, at: due)
            due += job.options.sendGapNanoseconds
        }
        jobs[job.key] = job
        if job.unfinishedTargets == 0 { finish(job) }
    }

    func schedule(_ jobKey: UInt32, target: Int, at due: Int64) {
        sendOrder &+= 1
        sendSchedule.push(ScheduledSend(due: due, order: sendOrder, jobKey: jobKey, target: Int32(target)))
    }

    func targetFinished(_ job: PingJob) {
        job.unfinishedTargets -= 1
        if job.unfinishedTargets == 0 { finish(job) }
    }

    /// Resumes the caller. Its queued sends and in-flight probes stay behind and are skipped or
    /// freed when reached, because they name a job key that no longer exists.
    func finish(_ job: PingJob, interruptedBy interruption: PingError? = nil) {
        jobs[job.key] = nil
        job.complete(interruptedBy: interruption)
        submissions.finished(job.id)
    }

    private func expireDeadlines(now: Int64) {
        while let deadline = deadlines.min, deadline.at <= now {
            deadlines.pop()
            let slot = inFlight + Int(deadline.sequence)
            guard slot.pointee.jobKey != 0, slot.pointee.generation == deadline.generation else { continue }
            let jobKey = slot.pointee.jobKey
            let target = Int(slot.pointee.target)
            slot.pointee.jobKey = 0
            inFlightCount -= 1
            guard let job = jobs[jobKey] else { continue }
            job.stats[target].outstanding -= 1
            if job.stats[target].isFinished { targetFinished(job) }
        }
    }

    private func readReplies(now: Int64) {
        receiveAll(from: sockets.v4, v6: false)
        receiveAll(from: sockets.v6, v6: true)
        lastRead = now
        sentSinceRead = 0
    }

    private func hasDueDeadline(now: Int64) -> Bool {
        dropStaleDeadlines()
        return deadlines.min.map { $0.at <= now } ?? false
    }

    /// Deadlines of answered probes are stale; dropping them spares a wakeup each.
    private func dropStaleDeadlines() {
        while let deadline = deadlines.min {
            let slot = inFlight[Int(deadline.sequence)]
            if slot.jobKey != 0, slot.generation == deadline.generation { return }
            deadlines.pop()
        }
    }

    /// When the next probe may be sent and when the next one expires (monotonic), nil for none.
    private func nextEvent() -> (send: Int64?, deadline: Int64?) {
        dropStaleDeadlines()
        var send: Int64?
        if let next = sendSchedule.min, inFlightCount < Self.sequenceSpace { send = max(next.due, nextSendAt) }
        return (send, deadlines.min?.at)
    }
}

private func earliest(_ a: Int64?, _ b: Int64?) -> Int64? {
    guard let a else { return b }
    guard let b else { return a }
    return min(a, b)
}

func monotonicNanoseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
}

func realtimeNanoseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
}
