import Foundation

/// Reads a `multipart/form-data` body (RFC 7578) the way the Bot API does: text parts become
/// parameters, parts with a filename become uploads.
enum MultipartParser {
    struct Parsed {
        var fields: [String: String] = [:]
        var files: [String: FakeUpload] = [:]
    }

    /// The boundary of a `multipart/form-data; boundary=...` content type.
    static func boundary(of contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value =
                pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") ? String(pair[1].dropFirst().dropLast()) : pair[1]
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// Nil when the body is not well formed (no closing boundary, a part without headers).
    static func parse(_ body: [UInt8], boundary: String) -> Parsed? {
        let delimiter = Array("--\(boundary)".utf8)
        let separator = Array("\r\n".utf8) + delimiter
        guard var cursor = find(delimiter, in: body, from: 0).map({ $0 + delimiter.count }) else { return nil }
        var parsed = Parsed()
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if body[cursor...].starts(with: Array("--".utf8)) { return parsed }
            guard body[cursor...].starts(with: Array("\r\n".utf8)) else { return nil }
            cursor += 2
            guard let headerEnd = find(Array("\r\n\r\n".utf8), in: body, from: cursor),
                let next = find(separator, in: body, from: headerEnd + 4)
            else { return nil }
            let headers = String(decoding: body[cursor..<headerEnd], as: UTF8.self)
            let content = Array(body[(headerEnd + 4)..<next])
            guard let disposition = header("content-disposition", in: headers),
                let name = parameter("name", in: disposition)
            else { return nil }
            if let fileName = parameter("filename", in: disposition) {
                parsed.files[name] = FakeUpload(
                    fileName: fileName, mimeType: header("content-type", in: headers), bytes: content)
            } else {
                parsed.fields[name] = String(decoding: content, as: UTF8.self)
            }
            cursor = next + separator.count
        }
    }

    private static func header(_ name: String, in headers: String) -> String? {
        for line in headers.split(separator: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1)
            if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name {
                return pair[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// `name="value"` inside a header, with the %22/%0D/%0A escapes browsers write.
    private static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == name else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return value.replacingOccurrences(of: "%22", with: "\"").replacingOccurrences(of: "%0D", with: "\r")
                .replacingOccurrences(of: "%0A", with: "\n")
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else {
            return nil
        }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}
