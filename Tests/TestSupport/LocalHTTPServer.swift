import Foundation

/// An origin server on 127.0.0.1 for HTTP tests: python3's http.server with scripted routes, as a child
/// process on a port it picks itself (no race for the port). With `tls` it serves https.
///
/// Routes:
/// - `/status/<code>`: that status, body "status <code>"
/// - `/text/<words>`: 200, an HTML page containing `<words>` (URL-decoded)
/// - `/big/<bytes>?tail=<word>&head=<word>`: 200 with `<bytes>` bytes of "x", `head`/`tail` at the ends
/// - `/hang-after-headers`: sends headers announcing 100 bytes, then waits forever
/// - `/sleep/<seconds>`: answers after that long
/// - `/redirect/<n>`: n redirects down to `/redirect/0`, which answers 200 "arrived"
/// - `/loop/a`, `/loop/b`: redirect to each other forever
/// - `/echo`: any method; JSON `{"method", "path", "headers", "body"}` of what arrived
/// - `/check/<i>`: 200 "ok"
/// - `/redirect-to?url=<absolute URL>`: 302 to that URL (another server, another address)
/// - `/requests`: 200, the number of requests this server answered before (itself not counted)
/// - `/late`: 200 "late" after the server's current delay; `/set-delay/<seconds>` sets it (0 at start)
public final class LocalHTTPServer: Sendable {
    public struct TLSFiles: Sendable {
        public var certificatePath: String
        public var keyPath: String
        public init(certificatePath: String, keyPath: String) {
            self.certificatePath = certificatePath
            self.keyPath = keyPath
        }
    }

    public let port: Int
    public let baseURL: String
    private let server: ServerProcess
    private let directory: URL

    /// - Parameter host: the loopback address to listen on (any of 127.0.0.0/8).
    public init(tls: TLSFiles? = nil, host: String = "127.0.0.1") async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("origin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let script = directory.appendingPathComponent("origin.py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        var arguments = [script.path, host]
        if let tls { arguments += [tls.certificatePath, tls.keyPath] }
        let stderrPath = directory.appendingPathComponent("stderr.log").path
        server = try ServerProcess(
            name: "python origin server", executable: "/usr/bin/python3", arguments: arguments,
            captureOutput: true, stderrPath: stderrPath)
        guard let line = await server.readLine(timeout: .seconds(15)), line.hasPrefix("PORT "),
            let port = Int(line.dropFirst(5))
        else {
            server.stop()
            let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
            throw ServerProcessError("the python origin server did not start: \(stderr)")
        }
        self.port = port
        baseURL = "\(tls == nil ? "http" : "https")://\(host):\(port)"
    }

    deinit { stop() }

    /// One plain-HTTP server shared by every test in the process (started on first use, gone when the
    /// test process exits), so suites do not pay a python start-up per test.
    public static func shared() async throws -> LocalHTTPServer {
        try await sharedServer.server()
    }

    private static let sharedServer = SharedServer()

    private actor SharedServer {
        private var starting: Task<LocalHTTPServer, any Error>?

        func server() async throws -> LocalHTTPServer {
            let task = starting ?? Task { try await LocalHTTPServer() }
            starting = task
            return try await task.value
        }
    }

    public func url(_ path: String) -> String { baseURL + path }

    public func stop() {
        server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    private static let script = #"""
        import json, os, shutil, socket, ssl, sys, threading, time, urllib.parse
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, so clients can reuse connections

            def log_message(self, *args):
                pass

            def send(self, status, body, ctype="text/plain", extra=()):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in extra:
                    self.send_header(k, v)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def handle_any(self):
                url = urllib.parse.urlsplit(self.path)
                parts = [p for p in url.path.split("/") if p]
                query = urllib.parse.parse_qs(url.query)
                if parts == ["requests"]:
                    self.send(200, b"%d" % self.server.answered)
                    return
                with self.server.lock:
                    self.server.answered += 1
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                head = parts[0] if parts else ""
                if head == "status" and len(parts) > 1:
                    code = int(parts[1])
                    self.send(code, b"status %d" % code)
                elif head == "text":
                    words = urllib.parse.unquote("/".join(parts[1:])).encode()
                    self.send(200, b"<html><body><p>" + words + b"</p></body></html>", "text/html")
                elif head == "big":
                    size = int(parts[1])
                    top = query.get("head", [""])[0].encode()
                    tail = query.get("tail", [""])[0].encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/octet-stream")
                    self.send_header("Content-Length", str(size))
                    self.end_headers()
                    chunk = b"x" * 65536
                    sent = 0
                    try:
                        if top:
                            self.wfile.write(top); sent += len(top)
                        while sent < size - len(tail):
                            n = min(len(chunk), size - len(tail) - sent)
                            self.wfile.write(chunk[:n]); sent += n
                        if tail:
                            self.wfile.write(tail)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                elif head == "hang-after-headers":
                    self.send_response(200)
                    self.send_header("Content-Length", "100")
                    self.end_headers()
                    self.wfile.flush()
                    time.sleep(3600)
                elif head == "sleep":
                    time.sleep(float(parts[1]))
                    self.send(200, b"slept")
                elif head == "redirect":
                    n = int(parts[1])
                    if n > 0:
                        self.send(302, b"", extra=[("Location", "/redirect/%d" % (n - 1))])
                    else:
                        self.send(200, b"arrived")
                elif head == "loop":
                    other = "b" if parts[-1] == "a" else "a"
                    self.send(302, b"", extra=[("Location", "/loop/" + other)])
                elif head == "echo":
                    out = {"method": self.command, "path": self.path, "headers": {k: v for k, v in self.headers.items()},
                           "body": body.decode("utf-8", "replace")}
                    self.send(200, json.dumps(out).encode(), "application/json")
                elif head == "late":
                    time.sleep(self.server.delay)
                    self.send(200, b"late")
                elif head == "set-delay":
                    self.server.delay = float(parts[1])
                    self.send(200, b"ok")
                elif head == "check":
                    self.send(200, b"ok")
                elif head == "redirect-to":
                    self.send(302, b"", extra=[("Location", query.get("url", ["/"])[0])])
                else:
                    self.send(404, b"not found")

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = handle_any

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 1024
            context = None
            answered = 0
            delay = 0.0
            lock = threading.Lock()

            def finish_request(self, request, client_address):
                if self.context is not None:
                    # Handshake in the connection's own thread, so one bad client cannot stall the others.
                    request = self.context.wrap_socket(request, server_side=True)
                super().finish_request(request, client_address)

            def handle_error(self, request, client_address):
                pass  # clients that reject our certificate or hang up are expected here

        server = Server((sys.argv[1], 0), Handler)
        if len(sys.argv) > 3:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(sys.argv[2], sys.argv[3])
            server.context = context

        def exit_with_parent():
            sys.stdin.read()  # EOF: the test process is gone (the shared server is never stopped otherwise)
            shutil.rmtree(os.path.dirname(os.path.abspath(__file__)), ignore_errors=True)
            os._exit(0)
        threading.Thread(target=exit_with_parent, daemon=True).start()

        print("PORT %d" % server.server_address[1], flush=True)
        server.serve_forever()
        """#
}
