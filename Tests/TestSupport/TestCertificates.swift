import Foundation

/// Throw-away TLS certificates for 127.0.0.1, made with the openssl command line (Debian `openssl`).
public struct TestCertificates: Sendable {
    public let directory: URL
    /// The server's certificate and key.
    public let certificatePath: String
    public let keyPath: String
    /// What a client must trust to accept the server: the CA, or the self-signed certificate itself.
    public let caPath: String
    /// The server certificate's notAfter, when fixed by the test.
    public let notAfter: Date?

    public var serverFiles: LocalHTTPServer.TLSFiles { .init(certificatePath: certificatePath, keyPath: keyPath) }

    /// A self-signed certificate for CN/IP 127.0.0.1, valid for `days` from now.
    public static func selfSigned(days: Int = 30) async throws -> TestCertificates {
        let directory = try makeDirectory()
        let cert = directory.appendingPathComponent("server.pem").path
        let key = directory.appendingPathComponent("server.key").path
        try await ServerProcess.run(
            openssl,
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key, "-out", cert, "-days", "\(days)", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1",
            ])
        return TestCertificates(directory: directory, certificatePath: cert, keyPath: key, caPath: cert, notAfter: nil)
    }

    /// A valid test CA (trust it with `caPath`) and a server certificate it signed that expired on
    /// 2020-02-01 00:00:00 UTC — so verification fails for the expiry alone, not for trust.
    public static func expiredLeaf() async throws -> TestCertificates {
        try await caSignedLeaf(
            notBefore: Date(timeIntervalSince1970: 1_577_836_800), notAfter: Date(timeIntervalSince1970: 1_580_515_200))
    }

    /// A valid test CA ("CN=UptimeBot Test CA"; trust it with `caPath`) and a server certificate for
    /// 127.0.0.1 it signed, valid from `notBefore` to `notAfter` (whole seconds, UTC).
    public static func caSignedLeaf(notBefore: Date, notAfter: Date) async throws -> TestCertificates {
        let directory = try makeDirectory()
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try await ServerProcess.run(
            openssl,
            ["req", "-x509"] + ecKey + [
                "-keyout", path("ca.key"), "-out", path("ca.pem"),
                "-days", "3650", "-subj", "/CN=UptimeBot Test CA",
            ])
        try await ServerProcess.run(
            openssl,
            ["req", "-new"] + ecKey + [
                "-keyout", path("server.key"), "-out", path("server.csr"),
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ])
        // `openssl ca` is the one 3.0 command that takes arbitrary validity dates.
        let config = """
            [ ca ]
            default_ca = test_ca
            [ test_ca ]
            database = \(path("index.txt"))
            new_certs_dir = \(directory.path)
            certificate = \(path("ca.pem"))
            private_key = \(path("ca.key"))
            serial = \(path("serial"))
            default_md = sha256
            policy = policy_any
            copy_extensions = copy
            unique_subject = no
            [ policy_any ]
            commonName = supplied

            """
        try config.write(toFile: path("ca.cnf"), atomically: true, encoding: .utf8)
        try "".write(toFile: path("index.txt"), atomically: true, encoding: .utf8)
        try "01\n".write(toFile: path("serial"), atomically: true, encoding: .utf8)
        try await ServerProcess.run(
            openssl,
            [
                "ca", "-batch", "-config", path("ca.cnf"), "-in", path("server.csr"), "-out", path("server.pem"),
                "-startdate", asn1Time(notBefore), "-enddate", asn1Time(notAfter), "-notext",
            ])
        return TestCertificates(
            directory: directory, certificatePath: path("server.pem"), keyPath: path("server.key"),
            caPath: path("ca.pem"), notAfter: Date(timeIntervalSince1970: notAfter.timeIntervalSince1970.rounded(.down))
        )
    }

    public func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    static let openssl = "/usr/bin/openssl"

    /// "20200101000000Z", as `openssl ca -startdate/-enddate` takes it.
    static func asn1Time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmmss"
        return formatter.string(from: date) + "Z"
    }

    private static func makeDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("certs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}
