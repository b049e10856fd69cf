import KeyedSerialization
import Synchronization
import Testing

struct KeyedSerialQueueTests {
    @Test func oneKeysWorkRunsInOrderOneAtATime() async {
        let queue = KeyedSerialQueue<Int>()
        let log = Mutex<[Int]>([])
        let running = Mutex(0)
        let overlapped = Mutex(false)
        for i in 0..<50 {
            queue.submit(7) {
                if running.withLock({
                    $0 += 1
                    return $0
                }) > 1 {
                    overlapped.withLock { $0 = true }
                }
                await Task.yield()
                log.withLock { $0.append(i) }
                running.withLock { $0 -= 1 }
            }
        }
        await queue.waitUntilIdle()
        #expect(log.withLock { $0 } == Array(0..<50))
        #expect(overlapped.withLock { $0 } == false)
    }

    @Test func differentKeysRunInParallel() async {
        let queue = KeyedSerialQueue<Int>()
        let bothStarted = Mutex(0)
        // Each item waits until the other key's item has started: only parallel execution finishes.
        for key in [1, 2] {
            queue.submit(key) {
                bothStarted.withLock { $0 += 1 }
                while bothStarted.withLock({ $0 }) < 2 { await Task.yield() }
            }
        }
        await queue.waitUntilIdle()
        #expect(bothStarted.withLock { $0 } == 2)
    }

    @Test func idleKeysAreForgotten() async {
        let queue = KeyedSerialQueue<Int>()
        for key in 0..<1_000 { queue.submit(key) {} }
        await queue.waitUntilIdle()
        #expect(queue.activeKeys == 0)
        #expect(queue.inFlight == 0)
    }

    @Test func callersTakeTheirTurnInArrivalOrderAfterSubmittedWork() async {
        let queue = KeyedSerialQueue<Int>()
        let log = Log()
        let gate = Mutex(false)
        queue.submit(3) {
            while !gate.withLock({ $0 }) { await Task.yield() }
            log.append("submitted")
        }
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<20 {
                // Each caller arrives after the previous one is waiting, so arrival order is known.
                while queue.inFlight < i + 1 { await Task.yield() }
                group.addTask {
                    await queue.exclusively(3) { log.append("caller \(i)") }
                }
            }
            while queue.inFlight < 21 { await Task.yield() }
            gate.withLock { $0 = true }
        }
        await queue.waitUntilIdle()
        #expect(log.entries == ["submitted"] + (0..<20).map { "caller \($0)" })
        #expect(queue.activeKeys == 0)
        #expect(queue.inFlight == 0)
    }

    @Test func aKeyIsForgottenOnceItsLastCallerReleasesIt() async {
        let queue = KeyedSerialQueue<Int>()
        await queue.acquire(9)
        #expect(queue.activeKeys == 1)
        queue.release(9)
        #expect(queue.activeKeys == 0)
        #expect(queue.inFlight == 0)
    }
}

/// What ran, in order, shared with the tasks that run it.
private final class Log: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var entries: [String] { lines.withLock { $0 } }
}
