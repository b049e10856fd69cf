import CMongoC
import Synchronization

/// Operations waiting to go out together, and the lanes that send them from the client's threads.
final class BatchQueue<Operation: Sendable, Output: Sendable>: Sendable {
    typealias Execute = @Sendable (_ connection: OpaquePointer, _ batch: [Operation]) -> [Result<Output, MongoError>]

    private struct Waiter: Sendable {
        let operation: Operation
        let continuation: CheckedContinuation<Output, any Error>
    }

    private struct State: Sendable {
        var waiting: [Waiter] = []
        var lanesRunning = 0
        var operationsSent = 0
        var commandsSent = 0
    }

    private let state = Mutex(State())
    private let client: MongoClient
    private let lanes: Int
    private let maxBatch: Int
    private let execute: Execute

    init(client: MongoClient, lanes: Int, maxBatch: Int, execute: @escaping Execute) {
        self.client = client
        self.lanes = max(lanes, 1)
        self.maxBatch = max(maxBatch, 1)
        self.execute = execute
    }

    var sent: (operations: Int, commands: Int) { state.withLock { ($0.operationsSent, $0.commandsSent) } }

    func perform(_ operation: Operation) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            let startLane = state.withLock { state in
                state.waiting.append(Waiter(operation: operation, continuation: continuation))
                guard state.lanesRunning < lanes else { return false }
                state.lanesRunning += 1
                return true
            }
            if startLane { client.submit { [self] connection in drain(connection) } }
        }
    }

    /// One lane: takes everything waiting, runs it as one batch, and repeats until nothing waits.
    private func drain(_ connection: OpaquePointer?) {
        while true {
            let batch: [Waiter] = state.withLock { state in
                if state.waiting.isEmpty {
                    state.lanesRunning -= 1
                    return []
                }
                let count = min(state.waiting.count, maxBatch)
                state.operationsSent += count
                state.commandsSent += 1
                defer { state.waiting.removeFirst(count) }
                return Array(state.waiting.prefix(count))
            }
            guard !batch.isEmpty else { return }
            var outcomes: [Result<Output, MongoError>]
            if let connection {
                outcomes = execute(connection, batch.map(\.operation))
            } else {
                outcomes = Array(
                    repeating: .failure(MongoError(kind: .closed, message: "client shut down")), count: batch.count)
            }
            if outcomes.count != batch.count {
                outcomes = Array(
                    repeating: .failure(
                        MongoError(kind: .other, message: "batch answered \(outcomes.count) of \(batch.count)")),
                    count: batch.count)
            }
            for (waiter, outcome) in zip(batch, outcomes) { waiter.continuation.resume(with: outcome) }
        }
    }
}
