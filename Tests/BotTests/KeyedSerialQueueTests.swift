import Bot
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
}
