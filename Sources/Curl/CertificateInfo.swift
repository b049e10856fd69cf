import CCurl

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The server's own certificate as the handshake showed it: when it expires, who issued it, its serial.
public struct ServerCertificate: Sendable, Hashable {
    public var notAfter: Date
    /// The issuer's distinguished name as libcurl prints it ("CN=R11, O=Let's Encrypt, C=US").
    public var issuer: String?
    /// The serial number, in libcurl's hex spelling.
    public var serial: String?

    public init(notAfter: Date, issuer: String? = nil, serial: String? = nil) {
        self.notAfter = notAfter
        self.issuer = issuer
        self.serial = serial
    }
}

/// Reads the server certificate from CURLINFO_CERTINFO.
enum CertificateInfo {
    /// notAfter of the first certificate in the chain (the server's own). Nil on plain http and on a
    /// reused connection, where no handshake happened.
    static func leafExpiry(easy: UnsafeMutableRawPointer) -> Date? { leaf(easy: easy)?.notAfter }

    /// The first certificate in the chain (the server's own); nil as for `leafExpiry`.
    static func leaf(easy: UnsafeMutableRawPointer) -> ServerCertificate? {
        var info: UnsafeMutablePointer<curl_certinfo>?
        guard uptimebot_easy_getinfo_certinfo(easy, &info) == CURLE_OK, let info,
            info.pointee.num_of_certs > 0, let lists = info.pointee.certinfo
        else { return nil }
        var fields: [String: String] = [:]
        var node = lists[0]
        while let current = node {
            if let data = current.pointee.data {
                let line = String(cString: data)
                if let colon = line.firstIndex(of: ":") {
                    let name = String(line[..<colon])
                    if ["Expire date", "Issuer", "Serial Number"].contains(name) {
                        fields[name] = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                    }
                }
            }
            node = current.pointee.next
        }
        guard let expiry = fields["Expire date"].flatMap(parseExpireDate) else { return nil }
        return ServerCertificate(
            notAfter: expiry, issuer: fields["Issuer"].flatMap { $0.isEmpty ? nil : String($0.prefix(300)) },
            serial: fields["Serial Number"].flatMap { $0.isEmpty ? nil : String($0.prefix(100)) })
    }

    /// OpenSSL prints "Jan  2 03:04:05 2030 GMT" (ASN1_TIME_print); libcurl's own ASN.1 code, used by
    /// the GnuTLS build, prints "2030-01-02 03:04:05 GMT". Both are UTC.
    static func parseExpireDate(_ text: String) -> Date? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        var fields: (year: Int, month: Int, day: Int, time: String)?
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        if parts.count >= 4, let month = months.firstIndex(of: parts[0]), let day = Int(parts[1]),
            let year = Int(parts[3])
        {
            fields = (year, month + 1, day, parts[2])
        } else if parts.count >= 2 {
            let date = parts[0].split(separator: "-").compactMap { Int($0) }
            if date.count == 3 { fields = (date[0], date[1], date[2], parts[1]) }
        }
        guard let fields else { return nil }
        let time = fields.time.split(separator: ":").compactMap { Int($0) }
        guard time.count == 3 else { return nil }
        var components = DateComponents()
        components.year = fields.year
        components.month = fields.month
        components.day = fields.day
        components.hour = time[0]
        components.minute = time[1]
        components.second = time[2]
        var calendar = Calendar(identifier: .gregorian)
        guard let utc = TimeZone(identifier: "UTC") else { return nil }
        calendar.timeZone = utc
        return calendar.date(from: components)
    }
}
