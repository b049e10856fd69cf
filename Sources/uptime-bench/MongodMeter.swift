import BSON
import Foundation
import Mongo

/// What mongod did during a benchmark: commands it received (serverStatus `opcounters`, which count
/// a batch of 40 updates as 40 updates but one `find` of 40 documents as one query) and the CPU
/// time of the mongod process, read from /proc when it runs on this machine.
struct MongodMeter {
    struct Reading {
        var operations: Int
        /// WiredTiger checkpoints so far (one a minute): each takes mongod tens of ms of CPU on these cores.
        var checkpoints: Int
        var cpu: Duration?
    }

    let database: MongoDatabase
    let pid: pid_t?

    init(database: MongoDatabase) async throws {
        self.database = database
        let status = try await database.runCommand(["serverStatus": 1])
        // The pid is this machine's mongod only if /proc says so (a remote server's pid means nothing here).
        pid = status["pid"]?.intValue.map { pid_t($0) }.flatMap { pid in
            let comm = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)
            return comm?.hasPrefix("mongod") == true ? pid : nil
        }
    }

    func read() async throws -> Reading {
        let status = try await database.runCommand(["serverStatus": 1])
        var operations = 0
        if case .document(let counters)? = status["opcounters"] {
            for name in ["insert", "query", "update", "delete", "getmore", "command"] {
                operations += counters[name]?.intValue ?? 0
            }
        }
        var checkpoints = 0
        if case .document(let wiredTiger)? = status["wiredTiger"],
            case .document(let transaction)? = wiredTiger["transaction"]
        {
            checkpoints = transaction["transaction checkpoints"]?.intValue ?? 0
        }
        return Reading(operations: operations, checkpoints: checkpoints, cpu: pid.flatMap { try? CPUTime.of(pid: $0) })
    }
}
