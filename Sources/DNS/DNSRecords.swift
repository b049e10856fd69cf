import CAres

#if canImport(Glibc)
    import Glibc
#endif

/// The answer records of one reply, as text, read with c-ares' own parsers (CNAME, which c-ares
/// has no parser for, by walking the answer section with `ares_expand_name`).
enum DNSRecords {
    /// The RCODE of a reply (the low four bits of its fourth byte), nil for a reply too short to be one.
    static func responseCode(_ reply: UnsafePointer<UInt8>, length: Int) -> Int? {
        length >= 12 ? Int(reply[3] & 0x0F) : nil
    }

    static func parse(_ reply: UnsafePointer<UInt8>, length: Int32, type: Int32) -> [String] {
        switch type {
        case 1: addresses(reply, length)
        case 28: addresses6(reply, length)
        case 15: mailExchangers(reply, length)
        case 16: texts(reply, length)
        case 5: canonicalNames(reply, length)
        default: []
        }
    }

    private static func addresses(_ reply: UnsafePointer<UInt8>, _ length: Int32) -> [String] {
        var entries = [ares_addrttl](repeating: ares_addrttl(), count: 64)
        var count: Int32 = 64
        guard ares_parse_a_reply(reply, length, nil, &entries, &count) == ARES_SUCCESS else { return [] }
        return entries.prefix(Int(max(0, count))).map { entry in
            var address = entry.ipaddr
            return text(family: AF_INET, &address, capacity: Int(INET_ADDRSTRLEN))
        }
    }

    private static func addresses6(_ reply: UnsafePointer<UInt8>, _ length: Int32) -> [String] {
        var entries = [ares_addr6ttl](repeating: ares_addr6ttl(), count: 64)
        var count: Int32 = 64
        guard ares_parse_aaaa_reply(reply, length, nil, &entries, &count) == ARES_SUCCESS else { return [] }
        return entries.prefix(Int(max(0, count))).map { entry in
            var address = entry.ip6addr
            return text(family: AF_INET6, &address, capacity: Int(INET6_ADDRSTRLEN))
        }
    }

    private static func text<T>(family: Int32, _ address: inout T, capacity: Int) -> String {
        var buffer = [CChar](repeating: 0, count: capacity + 1)
        guard inet_ntop(family, &address, &buffer, socklen_t(capacity)) != nil else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func mailExchangers(_ reply: UnsafePointer<UInt8>, _ length: Int32) -> [String] {
        var list: UnsafeMutablePointer<ares_mx_reply>?
        guard ares_parse_mx_reply(reply, length, &list) == ARES_SUCCESS else { return [] }
        defer { ares_free_data(list) }
        var records: [String] = []
        var entry = list
        while let current = entry {
            let host = current.pointee.host.map { String(cString: $0) } ?? ""
            records.append("\(current.pointee.priority) \(host)")
            entry = current.pointee.next
        }
        return records
    }

    private static func texts(_ reply: UnsafePointer<UInt8>, _ length: Int32) -> [String] {
        var list: UnsafeMutablePointer<ares_txt_ext>?
        guard ares_parse_txt_reply_ext(reply, length, &list) == ARES_SUCCESS else { return [] }
        defer { ares_free_data(list) }
        var records: [String] = []
        var entry = list
        while let current = entry {
            let chunk = current.pointee.txt.map {
                String(decoding: UnsafeBufferPointer(start: $0, count: current.pointee.length), as: UTF8.self)
            }
            if current.pointee.record_start != 0 || records.isEmpty {
                records.append(chunk ?? "")
            } else {
                records[records.count - 1] += chunk ?? ""
            }
            entry = current.pointee.next
        }
        return records
    }

    /// The CNAME records of the answer section. Every offset is checked against `length` before it is read.
    private static func canonicalNames(_ reply: UnsafePointer<UInt8>, _ length: Int32) -> [String] {
        let size = Int(length)
        guard size >= 12 else { return [] }
        func u16(_ at: Int) -> Int { Int(reply[at]) << 8 | Int(reply[at + 1]) }
        let questions = u16(4)
        let answers = u16(6)
        var offset = 12
        // Question: a name, then type and class.
        for _ in 0..<questions {
            guard let (_, used) = expand(reply, size, at: offset), offset + used + 4 <= size else { return [] }
            offset += used + 4
        }
        var records: [String] = []
        for _ in 0..<answers {
            guard let (_, used) = expand(reply, size, at: offset), offset + used + 10 <= size else { break }
            offset += used
            let type = u16(offset)
            let dataLength = u16(offset + 8)
            offset += 10
            guard offset + dataLength <= size else { break }
            if type == 5, let (name, _) = expand(reply, size, at: offset) { records.append(name) }
            offset += dataLength
        }
        return records
    }

    /// `ares_expand_name` at `offset`: the name (compression pointers followed) and the bytes it takes there.
    private static func expand(_ reply: UnsafePointer<UInt8>, _ size: Int, at offset: Int) -> (String, Int)? {
        guard offset < size else { return nil }
        var name: UnsafeMutablePointer<CChar>?
        var used = 0
        guard ares_expand_name(reply + offset, reply, Int32(size), &name, &used) == ARES_SUCCESS, let name else {
            return nil
        }
        defer { ares_free_string(name) }
        return (String(cString: name), used)
    }
}
