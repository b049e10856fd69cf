import CCurl

/// One running transfer: its easy handle, the C memory libcurl reads during it, and what it has
/// received. Lives on the loop thread only; libcurl's callbacks reach it through an unretained
/// pointer (CURLOPT_PRIVATE / *DATA), kept alive by `CurlEventLoop.active`.
final class CurlTransfer {
    let pending: PendingRequest
    let easy: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var resolveList: UnsafeMutablePointer<curl_slist>?
    /// Why the request's `ConnectionGate` refused a connection; the transfer then ends with it.
    private var gateRefusal: String?
    private let errorBuffer: UnsafeMutablePointer<CChar>

    private(set) var body: [UInt8] = []
    private(set) var headers = HTTPHeaders()
    private var bodyTruncated = false
    /// Set when we stopped the transfer ourselves by refusing bytes (libcurl reports it as a write error).
    private var stoppedByUs = false
    private var exceededLimit = false

    init(request: PendingRequest, easy: UnsafeMutableRawPointer) {
        pending = request
        self.easy = easy
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        errorBuffer.deallocate()
    }

    static func from(easy: UnsafeMutableRawPointer) -> CurlTransfer? {
        var pointer: UnsafeMutableRawPointer?
        guard uptimebot_easy_getinfo_pointer(easy, CURLINFO_PRIVATE, &pointer) == CURLE_OK, let pointer else {
            return nil
        }
        return Unmanaged<CurlTransfer>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Applies the request to the easy handle; an error means the request itself is unusable.
    func configure(userAgent: String) -> CurlError? {
        let request = pending.request
        let this = Unmanaged.passUnretained(self).toOpaque()
        var failed: CURLcode = CURLE_OK
        func set(_ option: CURLoption, _ value: Int) {
            if failed == CURLE_OK { failed = uptimebot_easy_setopt_long(easy, option, value) }
        }
        func set(_ option: CURLoption, _ value: String) {
            if failed == CURLE_OK { failed = uptimebot_easy_setopt_string(easy, option, value) }
        }

        set(CURLOPT_URL, request.url)
        set(CURLOPT_PROTOCOLS_STR, "http,https")
        set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        set(CURLOPT_NOSIGNAL, 1)  // no SIGALRM-based DNS timeouts: we are one thread among many
        set(CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeout.curlMilliseconds)
        set(CURLOPT_TIMEOUT_MS, request.timeout.curlMilliseconds)
        set(CURLOPT_FOLLOWLOCATION, request.followRedirects ? 1 : 0)
        set(CURLOPT_MAXREDIRS, max(0, request.maxRedirects))
        set(CURLOPT_SSL_VERIFYPEER, request.verifyTLS ? 1 : 0)
        set(CURLOPT_SSL_VERIFYHOST, request.verifyTLS ? 2 : 0)
        if let caBundlePath = request.caBundlePath { set(CURLOPT_CAINFO, caBundlePath) }
        set(CURLOPT_USERAGENT, userAgent)
        if request.acceptCompressed { set(CURLOPT_ACCEPT_ENCODING, "") }  // "" = every encoding libcurl decodes
        if request.freshConnection {
            set(CURLOPT_FRESH_CONNECT, 1)
            set(CURLOPT_FORBID_REUSE, 1)
        }
        if request.collectCertificateInfo { set(CURLOPT_CERTINFO, 1) }
        switch request.proxy {
        case .environment: break  // libcurl reads http_proxy/https_proxy/no_proxy itself
        case .none: set(CURLOPT_PROXY, "")
        case .url(let proxy): set(CURLOPT_PROXY, proxy)
        }
        if let noProxy = request.noProxy { set(CURLOPT_NOPROXY, noProxy) }

        // The method and body are set only on a handle that took every option so far (they would overwrite `failed`).
        if failed == CURLE_OK, let error = configureMethodAndBody(request, failed: &failed) { return error }
        if let error = configureHeaders(request) { return error }
        if let error = configureGate(request, failed: &failed) { return error }

        if failed == CURLE_OK { failed = uptimebot_easy_setopt_pointer(easy, CURLOPT_PRIVATE, this) }
        if failed == CURLE_OK {
            failed = uptimebot_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
        }
        if failed == CURLE_OK { failed = uptimebot_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, this) }
        if failed == CURLE_OK { failed = uptimebot_easy_setopt_write(easy, curlWriteCallback) }
        if failed == CURLE_OK { failed = uptimebot_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, this) }
        if failed == CURLE_OK { failed = uptimebot_easy_setopt_header(easy, curlHeaderCallback) }
        guard failed == CURLE_OK else {
            return CurlError(
                code: Int(failed.rawValue), kind: CurlError.kind(forCurlCode: Int(failed.rawValue)),
                message: "libcurl refused an option: \(String(cString: curl_easy_strerror(failed)))", url: request.url)
        }
        return nil
    }

    private func configureMethodAndBody(_ request: HTTPRequest, failed: inout CURLcode) -> CurlError? {
        let method = request.method.uppercased()
        guard !method.isEmpty, method.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else {
            return CurlError(
                code: 0, kind: .invalidRequest, message: "invalid method \"\(request.method)\"", url: request.url)
        }
        switch method {
        case "GET" where request.body == nil: failed = uptimebot_easy_setopt_long(easy, CURLOPT_HTTPGET, 1)
        case "HEAD": failed = uptimebot_easy_setopt_long(easy, CURLOPT_NOBODY, 1)
        case "POST": break  // set by the body below (an absent body posts nothing)
        default: failed = uptimebot_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method)
        }
        if failed == CURLE_OK, method == "POST" || request.body != nil {
            let body = request.body ?? []
            failed = uptimebot_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            // COPYPOSTFIELDS copies the bytes, so the array need not outlive this call.
            if failed == CURLE_OK {
                failed = body.withUnsafeBytes { bytes in
                    uptimebot_easy_setopt_const_pointer(
                        easy, CURLOPT_COPYPOSTFIELDS, bytes.baseAddress ?? UnsafeRawPointer(errorBuffer))
                }
            }
        }
        return nil
    }

    private func configureHeaders(_ request: HTTPRequest) -> CurlError? {
        for field in request.headers {
            // A CR or LF would let a value start a new header (injection); a colon in a name is malformed.
            let bad =
                field.name.isEmpty || field.name.utf8.contains(where: { $0 == 13 || $0 == 10 || $0 == 58 || $0 == 32 })
                || field.value.utf8.contains(where: { $0 == 13 || $0 == 10 })
            guard !bad else {
                return CurlError(
                    code: 0, kind: .invalidRequest, message: "invalid header \"\(field.name)\"", url: request.url)
            }
            // "Name;" is libcurl's spelling of an empty value ("Name:" would remove the header).
            let line = field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)"
            guard let list = curl_slist_append(headerList, line) else {
                return CurlError(code: 0, kind: .other, message: "out of memory building headers", url: request.url)
            }
            headerList = list
        }
        if let headerList, uptimebot_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList) != CURLE_OK {
            return CurlError(code: 0, kind: .other, message: "libcurl refused the headers", url: request.url)
        }
        return nil
    }

    private func configureGate(_ request: HTTPRequest, failed: inout CURLcode) -> CurlError? {
        for entry in request.resolveOverrides {
            guard let list = curl_slist_append(resolveList, entry) else {
                return CurlError(code: 0, kind: .other, message: "out of memory building resolves", url: request.url)
            }
            resolveList = list
        }
        if failed == CURLE_OK, let resolveList {
            failed = uptimebot_easy_setopt_slist(easy, CURLOPT_RESOLVE, resolveList)
        }
        if failed == CURLE_OK, request.connectionGate != nil {
            // Before connect() (no packet to a refused address, so no open/closed-port oracle either),
            // and again once connected, as the address libcurl reports for the connection.
            let this = Unmanaged.passUnretained(self).toOpaque()
            failed = uptimebot_easy_setopt_pointer(easy, CURLOPT_OPENSOCKETDATA, this)
            if failed == CURLE_OK { failed = uptimebot_easy_setopt_opensocket(easy, curlOpenSocketCallback) }
            if failed == CURLE_OK { failed = uptimebot_easy_setopt_pointer(easy, CURLOPT_PREREQDATA, this) }
            if failed == CURLE_OK { failed = uptimebot_easy_setopt_prereq(easy, curlPrereqCallback) }
        }
        return nil
    }

    /// Frees what libcurl no longer reads, before the handle is reset or cleaned up.
    func releaseResources() {
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
        if let resolveList { curl_slist_free_all(resolveList) }
        resolveList = nil
    }

    // MARK: - Callbacks (loop thread)

    /// True lets the connection be used; false aborts the transfer before anything is sent.
    fileprivate func admitConnection(address: String, port: Int) -> Bool {
        guard let gate = pending.request.connectionGate else { return true }
        let url = stringInfo(CURLINFO_EFFECTIVE_URL) ?? pending.request.url
        guard let refusal = gate.refusal(url, address, port) else { return true }
        gateRefusal = refusal
        return false
    }

    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        let request = pending.request
        let room = max(0, request.maxBodyBytes - body.count)
        let searchFrom = max(0, body.count - (request.stopAfterBodyContains?.count ?? 1) + 1)
        if body.isEmpty { reserveForBody() }
        body.append(contentsOf: bytes.prefix(room))
        if let marker = request.stopAfterBodyContains, !marker.isEmpty,
            body[searchFrom...].firstRange(of: marker) != nil
        {
            bodyTruncated = true
            stoppedByUs = true
            return 0  // found what the caller looks for: abort the rest of the download
        }
        if bytes.count > room {
            bodyTruncated = true
            exceededLimit = true
            stoppedByUs = true
            return 0
        }
        return bytes.count
    }

    private func reserveForBody() {
        var length: curl_off_t = -1
        if uptimebot_easy_getinfo_off(easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) == CURLE_OK, length > 0 {
            body.reserveCapacity(min(Int(length), pending.request.maxBodyBytes))
        }
    }

    fileprivate func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        if bytes.starts(with: "HTTP/".utf8) {
            headers = HTTPHeaders()  // a new response (after a redirect, a 100, or a proxy's CONNECT answer)
            return
        }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = String(decoding: bytes[..<colon], as: UTF8.self)
        let value = String(decoding: bytes[(colon + 1)...], as: UTF8.self).trimmingASCIIWhitespace()
        headers.add(name: name, value: value)
    }

    // MARK: - Completion

    func finish(code: CURLcode) -> Result<HTTPResponse, CurlError> {
        let request = pending.request
        if let gateRefusal {
            return .failure(
                CurlError(
                    code: Int(code.rawValue), kind: .refusedByGate, message: gateRefusal, url: request.url,
                    effectiveURL: stringInfo(CURLINFO_EFFECTIVE_URL)))
        }
        if code != CURLE_OK && !(code == CURLE_WRITE_ERROR && stoppedByUs) {
            return .failure(error(for: code))
        }
        if exceededLimit && !request.truncateOversizedBody {
            return .failure(
                CurlError(
                    code: Int(CURLE_FILESIZE_EXCEEDED.rawValue), kind: .tooLarge,
                    message: "body longer than \(request.maxBodyBytes) bytes", url: request.url))
        }
        let certificate = request.collectCertificateInfo ? CertificateInfo.leaf(easy: easy) : nil
        return .success(
            HTTPResponse(
                status: longInfo(CURLINFO_RESPONSE_CODE) ?? 0,
                headers: headers,
                body: body,
                bodyTruncated: bodyTruncated,
                timings: HTTPTimings(
                    dnsLookup: timeInfo(CURLINFO_NAMELOOKUP_TIME_T), connect: timeInfo(CURLINFO_CONNECT_TIME_T),
                    tlsHandshake: timeInfo(CURLINFO_APPCONNECT_TIME_T),
                    firstByte: timeInfo(CURLINFO_STARTTRANSFER_TIME_T),
                    total: timeInfo(CURLINFO_TOTAL_TIME_T)),
                effectiveURL: stringInfo(CURLINFO_EFFECTIVE_URL) ?? request.url,
                redirectCount: longInfo(CURLINFO_REDIRECT_COUNT) ?? 0,
                certificateExpiry: certificate?.notAfter,
                remoteAddress: stringInfo(CURLINFO_PRIMARY_IP).flatMap { $0.isEmpty ? nil : $0 },
                remotePort: longInfo(CURLINFO_PRIMARY_PORT).flatMap { $0 == 0 ? nil : $0 }, certificate: certificate))
    }

    private func error(for code: CURLcode) -> CurlError {
        let raw = Int(code.rawValue)
        let buffered = String(cString: errorBuffer)
        let kind = CurlError.kind(forCurlCode: raw)
        return CurlError(
            code: raw, kind: kind,
            message: buffered.isEmpty ? String(cString: curl_easy_strerror(code)) : buffered,
            url: pending.request.url,
            osErrno: longInfo(CURLINFO_OS_ERRNO).flatMap { $0 == 0 ? nil : $0 },
            tlsVerifyResult: kind == .tls ? longInfo(CURLINFO_SSL_VERIFYRESULT) : nil,
            proxyConnectStatus: longInfo(CURLINFO_HTTP_CONNECTCODE).flatMap { $0 == 0 ? nil : $0 },
            lastHeaders: headers,
            effectiveURL: stringInfo(CURLINFO_EFFECTIVE_URL))
    }

    private func longInfo(_ info: CURLINFO) -> Int? {
        var value = 0
        return uptimebot_easy_getinfo_long(easy, info, &value) == CURLE_OK ? value : nil
    }

    private func stringInfo(_ info: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard uptimebot_easy_getinfo_string(easy, info, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }

    private func timeInfo(_ info: CURLINFO) -> Duration {
        var microseconds: curl_off_t = 0
        guard uptimebot_easy_getinfo_off(easy, info, &microseconds) == CURLE_OK else { return .zero }
        return .microseconds(microseconds)
    }
}

private func curlWriteCallback(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size * count))
}

private func curlOpenSocketCallback(
    _ context: UnsafeMutableRawPointer?, _ purpose: curlsocktype, _ address: UnsafeMutablePointer<curl_sockaddr>?
) -> curl_socket_t {
    let refused: curl_socket_t = -1  // CURL_SOCKET_BAD
    guard let context, let address else { return refused }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    var text = [CChar](repeating: 0, count: 64)
    var port: Int32 = 0
    guard uptimebot_sockaddr_text(address, &text, socklen_t(text.count), &port) == 1 else {
        return uptimebot_open_socket(address)  // not IP (a unix socket is never configured): the gate has no say
    }
    let numeric = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return transfer.admitConnection(address: numeric, port: Int(port)) ? uptimebot_open_socket(address) : refused
}

private func curlPrereqCallback(
    _ context: UnsafeMutableRawPointer?, _ primaryIP: UnsafeMutablePointer<CChar>?,
    _ localIP: UnsafeMutablePointer<CChar>?, _ primaryPort: Int32, _ localPort: Int32
) -> Int32 {
    guard let context, let primaryIP else { return Int32(CURL_PREREQFUNC_ABORT) }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let admitted = transfer.admitConnection(address: String(cString: primaryIP), port: Int(primaryPort))
    return Int32(admitted ? CURL_PREREQFUNC_OK : CURL_PREREQFUNC_ABORT)
}

private func curlHeaderCallback(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size * count))
    return size * count
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let bytes = Array(utf8)
        guard let first = bytes.firstIndex(where: { $0 != 32 && $0 != 9 && $0 != 13 && $0 != 10 }),
            let last = bytes.lastIndex(where: { $0 != 32 && $0 != 9 && $0 != 13 && $0 != 10 })
        else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
