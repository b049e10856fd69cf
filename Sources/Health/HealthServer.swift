import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle
import Synchronization

/// The operators' and Docker's view of the process:
/// - `GET /health/live`  — 200 while the process serves requests;
/// - `GET /health/ready` — 200 when every readiness check passes, else 503; the body lists them,
///   e.g. `{"mongodb":true,"telegram":false}`;
/// - `GET /metrics`      — the Prometheus registry in the text exposition format.
public struct HealthServer: Service {
    public var host: String
    public var port: Int
    public var checks: [ReadinessCheck]
    public var registry: PrometheusCollectorRegistry
    public var logger: Logger
    /// Called with the bound port once the server listens (useful with port 0).
    public var onListening: @Sendable (Int) async -> Void

    public init(
        host: String = "0.0.0.0",
        port: Int = 8080,
        checks: [ReadinessCheck] = [],
        registry: PrometheusCollectorRegistry,
        logger: Logger = Logger(label: "uptimebot.health"),
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.host = host
        self.port = port
        self.checks = checks
        self.registry = registry
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let logger = logger
        let onListening = onListening
        let app = Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(host, port: port), serverName: "uptime-bot"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.info("health endpoint listening", metadata: ["port": "\(port)"])
                await onListening(port)
            },
            logger: logger
        )
        try await app.run()
    }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        let readiness = ReadinessReport(checks: checks, logger: logger)
        let registry = registry

        router.get("/health/live") { _, _ in
            Self.response(.ok, contentType: "application/json", body: #"{"status":"live"}"#)
        }
        router.get("/health/ready") { _, _ in
            let results = await readiness.evaluate()
            let ready = results.values.allSatisfy { $0 }
            return Self.response(
                ready ? .ok : .serviceUnavailable, contentType: "application/json", body: Self.json(results))
        }
        router.get("/metrics") { _, _ in
            var buffer = ByteBuffer()
            buffer.writeBytes(registry.emitToBuffer())
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: buffer)
            )
        }
        return router
    }

    static func response(_ status: HTTPResponse.Status, contentType: String, body: String) -> Response {
        Response(
            status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// `{"a":true,"b":false}` with sorted keys; names are plain identifiers chosen by the wiring code.
    static func json(_ results: [String: Bool]) -> String {
        let fields = results.keys.sorted().map { name in
            let escaped = name.flatMap { $0 == "\"" || $0 == "\\" ? ["\\", $0] : [$0] }
            return "\"\(String(escaped))\":\(results[name]! ? "true" : "false")"
        }
        return "{" + fields.joined(separator: ",") + "}"
    }
}

/// Runs the checks concurrently and logs each change of a check's result once, not every probe.
final class ReadinessReport: Sendable {
    let checks: [ReadinessCheck]
    let logger: Logger
    private let lastResults = Mutex<[String: Bool]>([:])

    init(checks: [ReadinessCheck], logger: Logger) {
        self.checks = checks
        self.logger = logger
    }

    func evaluate() async -> [String: Bool] {
        let results = await withTaskGroup(of: (String, Bool).self) { group in
            for check in checks {
                group.addTask { (check.name, await check.evaluate()) }
            }
            var results: [String: Bool] = [:]
            for await (name, ok) in group { results[name] = ok }
            return results
        }
        let changed = lastResults.withLock { last -> [(String, Bool)] in
            defer { last = results }
            return results.filter { last[$0.key] != $0.value }.sorted { $0.key < $1.key }
        }
        for (name, ok) in changed {
            if ok {
                logger.info("readiness check passes", metadata: ["check": "\(name)"])
            } else {
                logger.warning("readiness check fails", metadata: ["check": "\(name)"])
            }
        }
        return results
    }
}
