import Foundation
import TestSupport

/// An HTTP origin on 127.0.0.1 that answers 200 to every path, or 503 while switched down: one
/// switch takes every site of a test down at once (a mass outage) and brings it back.
final class SwitchableOrigin: Sendable {
    let port: Int
    private let server: ServerProcess
    private let flag: URL
    private let directory: URL

    init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("switch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        flag = directory.appendingPathComponent("down")
        let script = directory.appendingPathComponent("origin.py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        server = try ServerProcess(
            name: "switchable origin", executable: "/usr/bin/python3", arguments: [script.path, flag.path],
            captureOutput: true)
        guard let line = await server.readLine(timeout: .seconds(15)), line.hasPrefix("PORT "),
            let port = Int(line.dropFirst(5))
        else {
            server.stop()
            throw ServerProcessError("the switchable origin did not start")
        }
        self.port = port
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Every path answers 503 (down) or 200 (up) from the next request on.
    func set(down: Bool) throws {
        if down {
            try Data().write(to: flag)
        } else {
            try? FileManager.default.removeItem(at: flag)
        }
    }

    func stop() {
        server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }

    private static let script = #"""
        import os, sys
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                down = os.path.exists(sys.argv[1])
                body = b"down" if down else b"ok"
                self.send_response(503 if down else 200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_HEAD = do_GET

        # Python's default backlog is 5: a partition taken over checks its monitors together, and
        # connections beyond the backlog would time out (a site seen down that never was).
        ThreadingHTTPServer.request_queue_size = 1024
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        print("PORT %d" % server.server_address[1], flush=True)
        server.serve_forever()
        """#
}
