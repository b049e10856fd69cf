/// getUpdates as Telegram does it: `offset` confirms (drops) every update below it, the rest are
/// delivered again; with nothing to deliver the request is held up to `timeout` seconds; a second
/// concurrent getUpdates ends the first with 409 Conflict, and so does a getUpdates while a webhook is set.
extension FakeBotAPIServer {
    func getUpdates(_ params: JSONValue) async -> FakeAnswer {
        if state.withLock({ !$0.webhookURL.isEmpty }) {
            return .error(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
            )
        }
        let offset = params["offset"]?.intValue.flatMap { $0 > 0 ? $0 : nil }
        let limit = Int(min(100, max(1, params["limit"]?.intValue ?? 100)))
        let timeout = Duration.seconds(min(60, max(0, params["timeout"]?.intValue ?? 0)))
        let deadline = ContinuousClock.now + timeout
        while true {
            let stopped = isStopped
            let wake = await withCheckedContinuation { (continuation: CheckedContinuation<FakeState.PollWake, Never>) in
                hold(continuation, offset: offset, limit: limit, deadline: deadline, stopped: stopped)
            }
            switch wake {
            case .ready(let batch): return .ok(.array(batch))
            case .conflict:
                return .error(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
            case .newUpdates, .timeout: continue
            }
        }
    }

    /// Answers at once when there are updates (or time is up), else parks the request until
    /// `scripted`, `deadline` or a newer poll wakes it. A poll it replaces ends with a conflict.
    private func hold(
        _ continuation: CheckedContinuation<FakeState.PollWake, Never>,
        offset: Int64?, limit: Int, deadline: ContinuousClock.Instant, stopped: Bool
    ) {
        var previous: FakeState.PollWaiter?
        var ready: [JSONValue]?
        var pollID: UInt64 = 0
        let satisfied = state.withLock { state -> [(CheckedContinuation<(any Sendable)?, Never>, any Sendable)] in
            state.confirm(offset: offset)
            let batch = state.batch(limit: limit)
            if !batch.isEmpty || stopped || ContinuousClock.now >= deadline {
                ready = batch
            } else {
                pollID = state.nextWaiterID
                state.nextWaiterID += 1
                previous = state.pollWaiter
                state.pollWaiter = FakeState.PollWaiter(id: pollID, continuation: continuation, timer: nil)
            }
            return state.satisfiedWaiters(chat: nil)
        }
        for (waiter, result) in satisfied { waiter.resume(returning: result) }
        if let previous {
            previous.timer?.cancel()
            previous.continuation.resume(returning: .conflict)
        }
        if let ready {
            continuation.resume(returning: .ready(ready))
        } else {
            armTimer(pollID: pollID, deadline: deadline)
        }
    }

    /// Ends the held poll at its deadline, unless something ended it before.
    private func armTimer(pollID: UInt64, deadline: ContinuousClock.Instant) {
        let timer = Task { [weak self] in
            try? await Task.sleep(until: deadline)
            guard !Task.isCancelled, let self else { return }
            let waiter = self.state.withLock { state -> FakeState.PollWaiter? in
                guard state.pollWaiter?.id == pollID else { return nil }
                defer { state.pollWaiter = nil }
                return state.pollWaiter
            }
            waiter?.continuation.resume(returning: .timeout)
        }
        let orphan = state.withLock { state -> Bool in
            guard state.pollWaiter?.id == pollID else { return true }
            state.pollWaiter?.timer = timer
            return false
        }
        if orphan { timer.cancel() }
    }

    /// Wakes the held poll, if any, so it answers.
    func wakePoll(with wake: FakeState.PollWake) {
        let waiter = state.withLock { state -> FakeState.PollWaiter? in
            defer { state.pollWaiter = nil }
            return state.pollWaiter
        }
        waiter?.timer?.cancel()
        waiter?.continuation.resume(returning: wake)
    }
}
