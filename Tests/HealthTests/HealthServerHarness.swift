import Foundation
import Logging
import Prometheus
import ServiceLifecycle

@testable import Health

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a `HealthServer` on 127.0.0.1 and an OS-chosen port for the duration of `body`.
func withHealthServer(
    checks: [ReadinessCheck],
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    _ body: (Int) async throws -> Void
) async throws {
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    var logger = Logger(label: "health-test")
    logger.logLevel = .error
    let server = HealthServer(host: "127.0.0.1", port: 0, checks: checks, registry: registry, logger: logger) { port in
        portContinuation.yield(port)
    }
    // Stopped by a graceful shutdown, as the bot's ServiceGroup stops it on SIGTERM.
    let services = ServiceGroup(configuration: .init(services: [server], gracefulShutdownSignals: [], logger: logger))
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await services.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw HarnessError.serverDidNotStart }
        do {
            try await body(port)
        } catch {
            await services.triggerGracefulShutdown()
            throw error
        }
        await services.triggerGracefulShutdown()
        try await group.waitForAll()
    }
}

enum HarnessError: Error {
    case serverDidNotStart
    case connect(Int32)
    case malformedResponse
}

struct HTTPResponse {
    var status: Int
    var headers: [String: String]
    var body: String
}

/// A plain HTTP/1.1 GET over a socket: no proxy settings, no client library between the test and the server.
/// The blocking socket calls run on a thread of their own: on the cooperative pool (two threads on a
/// two-core machine) they would starve the very server tasks they wait for.
func httpGet(port: Int, path: String) async throws -> HTTPResponse {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try blockingGet(port: port, path: path) }) }.start()
    }
}

private func blockingGet(port: Int, path: String) throws -> HTTPResponse {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw HarnessError.connect(errno) }
    defer { close(fd) }
    // A server that never answers fails the test after 30 s instead of hanging it (generous: CI is loaded).
    var receiveTimeout = timeval(tv_sec: 30, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &receiveTimeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard connected == 0 else { throw HarnessError.connect(errno) }
    let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
    _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
    var data: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    // Read the head, then exactly Content-Length bytes: no reliance on the server closing first.
    while true {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { break }
        data.append(contentsOf: buffer[0..<n])
        if let response = try parse(data), response.body.utf8.count >= response.contentLength { return response.value }
    }
    guard let response = try parse(data) else { throw HarnessError.malformedResponse }
    return response.value
}

private func parse(_ data: [UInt8]) throws -> (value: HTTPResponse, body: String, contentLength: Int)? {
    let text = String(decoding: data, as: UTF8.self)
    guard let split = text.firstRange(of: "\r\n\r\n") else { return nil }
    let headLines = text[..<split.lowerBound].split(separator: "\r\n")
    let statusFields = headLines.first?.split(separator: " ") ?? []
    guard statusFields.count >= 2, let status = Int(statusFields[1]) else { throw HarnessError.malformedResponse }
    var headers: [String: String] = [:]
    for line in headLines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: " ")
    }
    let body = String(text[split.upperBound...])
    let response = HTTPResponse(status: status, headers: headers, body: body)
    return (response, body, Int(headers["content-length"] ?? "0") ?? 0)
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
