import Foundation

/// A `multipart/form-data` body (RFC 7578), as the Bot API takes uploads: text fields, then files,
/// each part with its Content-Disposition; JSON-valued fields (reply_markup) go in as text.
public struct MultipartForm: Sendable {
    public struct File: Sendable {
        public var field: String
        public var file: InputFile
    }

    public private(set) var fields: [(name: String, value: String)] = []
    public private(set) var files: [File] = []

    public init() {}

    public mutating func add(_ name: String, _ value: String) { fields.append((name, value)) }

    public mutating func add(_ name: String, file: InputFile) { files.append(File(field: name, file: file)) }

    /// The body and its Content-Type. The boundary is drawn again in the unlikely case a part contains it.
    public func encoded() -> (contentType: String, body: [UInt8]) {
        while true {
            let boundary = "UptimeBot-" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
            if let body = encoded(boundary: boundary) {
                return ("multipart/form-data; boundary=\(boundary)", body)
            }
        }
    }

    private func encoded(boundary: String) -> [UInt8]? {
        let marker = Array(boundary.utf8)
        var body: [UInt8] = []
        func append(_ text: String) { body.append(contentsOf: text.utf8) }
        for (name, value) in fields {
            guard !Array(value.utf8).containsSubsequence(marker) else { return nil }
            append("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(Self.quoted(name))\"\r\n\r\n")
            append(value)
            append("\r\n")
        }
        for part in files {
            guard !part.file.bytes.containsSubsequence(marker) else { return nil }
            append(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(Self.quoted(part.field))\"; "
                    + "filename=\"\(Self.quoted(part.file.fileName))\"\r\nContent-Type: \(part.file.mimeType)\r\n\r\n")
            body.append(contentsOf: part.file.bytes)
            append("\r\n")
        }
        append("--\(boundary)--\r\n")
        return body
    }

    /// A name inside a quoted header parameter, escaped as browsers do (WHATWG): `"`, CR and LF.
    static func quoted(_ text: String) -> String {
        text.replacingOccurrences(of: "\"", with: "%22").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }
}

/// A file to upload: its name as the recipient sees it, its type, its bytes.
public struct InputFile: Sendable, Hashable {
    /// The Bot API takes uploads of up to 50 MB through multipart/form-data.
    public static let maxUploadBytes = 50 << 20

    public var fileName: String
    public var mimeType: String
    public var bytes: [UInt8]

    public init(fileName: String, mimeType: String, bytes: [UInt8]) {
        self.fileName = fileName
        self.mimeType = mimeType
        self.bytes = bytes
    }
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs in these bytes.
    func containsSubsequence(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        let first = needle[0]
        var index = 0
        while index <= count - needle.count {
            if self[index] == first, self[index..<index + needle.count].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
