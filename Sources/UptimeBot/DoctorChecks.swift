import BSON
import Curl
import Foundation
import ICMP
import Logging
import Mongo
import TelegramAPI

/// The checks of `uptime-bot doctor`, each returning its report line(s). None prints a secret:
/// URIs and proxy URLs are shown without their passwords.
enum DoctorChecks {
    typealias Line = DoctorReport.Line

    /// The env file exists and only its owner (and group) can read it: it holds the token and passwords.
    static func envFile(_ path: String) -> Line {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let mode = (attributes[.posixPermissions] as? NSNumber)?.uint16Value
        else {
            return Line(status: .ok, check: "env file", detail: "none at \(path): settings from the environment")
        }
        if mode & 0o007 != 0 {
            return Line(
                status: .fail, check: "env file",
                detail: "\(path) is readable by everyone (mode \(String(mode & 0o777, radix: 8))): chmod 600 \(path)")
        }
        return Line(status: .ok, check: "env file", detail: "\(path), mode \(String(mode & 0o777, radix: 8))")
    }

    /// MongoDB: reachable, authenticated as the URI's user, its version, replica set or not, and
    /// the clock difference (leases and alert times rely on both clocks agreeing).
    static func mongo(_ settings: Settings, timeout: Duration) async -> [Line] {
        guard let uri = settings.mongoURI else {
            return [
                Line(
                    status: .warn, check: "mongodb", detail: "MONGODB_URI not set: in-memory storage, nothing persists")
            ]
        }
        let client: MongoClient
        do {
            client = try MongoClient(
                uri: uri, appName: "uptime-bot-doctor", threads: 2,
                timeouts: MongoTimeouts(serverSelection: timeout))
        } catch {
            return [Line(status: .fail, check: "mongodb", detail: "MONGODB_URI cannot be parsed: \(error)")]
        }
        defer { Task { await client.shutdown() } }
        let admin = client.database("admin")
        let hello: BSONDocument
        let before = Date()
        do {
            hello = try await admin.runCommand(["hello": 1])
        } catch {
            let text = message(error)
            if text.localizedCaseInsensitiveContains("authentication failed") {
                return [
                    Line(
                        status: .fail, check: "mongodb",
                        detail: "\(redacted(uri)) refused the login: \(text) (user and password in MONGODB_URI?)")
                ]
            }
            return [Line(status: .fail, check: "mongodb", detail: "not reachable at \(redacted(uri)): \(text)")]
        }
        let after = Date()
        var lines: [Line] = []
        do {
            let version = try await client.serverVersion()
            let status = try await admin.runCommand(["connectionStatus": 1])
            let users =
                status[path: "authInfo.authenticatedUsers"]?.arrayValue?.compactMap {
                    $0.documentValue?["user"]?.stringValue
                } ?? []
            let topology =
                hello["setName"]?.stringValue.map { "replica set \($0)" } ?? "standalone (no replica set)"
            let auth =
                users.isEmpty ? "without a login: no user in MONGODB_URI (is --auth off?)" : "logged in as \(users[0])"
            lines.append(
                Line(
                    status: users.isEmpty ? .warn : .ok, check: "mongodb",
                    detail: "MongoDB \(version) at \(redacted(uri)), \(topology), \(auth)"))
            // Authentication is lazy in libmongoc: a command on the bot's database proves the user may use it.
            _ = try await client.database(settings.mongoDatabase).runCommand(["listCollections": 1, "nameOnly": true])
        } catch {
            return [
                Line(
                    status: .fail, check: "mongodb",
                    detail: "\(redacted(uri)) refused us: \(message(error)) (user and password in MONGODB_URI?)")
            ]
        }
        if let serverTime = hello["localTime"]?.dateValue {
            let local = before.addingTimeInterval(after.timeIntervalSince(before) / 2)
            let skew = serverTime.timeIntervalSince(local)
            let text = String(format: "%.1f s", abs(skew))
            lines.append(
                abs(skew) > 2
                    ? Line(
                        status: .fail, check: "clock",
                        detail: "this host and MongoDB differ by \(text): synchronise both (timedatectl, chrony)")
                    : Line(status: .ok, check: "clock", detail: "within \(text) of MongoDB's"))
        }
        return lines
    }

    /// getMe through the proxy the bot would use, naming it.
    static func telegram(_ settings: Settings, timeout: Duration) async -> Line {
        var configuration = TelegramClientConfiguration(
            token: settings.botToken, baseURL: settings.telegramAPIURL, telegramProxy: settings.telegramProxy,
            connectTimeout: timeout, requestTimeout: timeout)
        configuration.caBundlePath = nil
        let route = telegramRoute(settings)
        let client: TelegramClient
        do {
            var logger = Logger(label: "uptime-bot.doctor")
            logger.logLevel = .critical
            client = try TelegramClient(configuration: configuration, logger: logger)
        } catch {
            return Line(status: .fail, check: "telegram", detail: "libcurl could not start: \(error)")
        }
        do {
            let me = try await client.call(GetMe())
            return Line(
                status: .ok, check: "telegram",
                detail: "getMe: @\(me.username ?? "?") (id \(me.id)) at \(settings.telegramAPIURL) \(route)")
        } catch .unauthorized {
            return Line(
                status: .fail, check: "telegram",
                detail: "getMe at \(settings.telegramAPIURL) \(route): the token was refused: check BOT_TOKEN")
        } catch {
            return Line(
                status: .fail, check: "telegram",
                detail: "getMe at \(settings.telegramAPIURL) \(route) failed: \(error); "
                    + (route.hasPrefix("direct")
                        ? "set https_proxy (or TELEGRAM_PROXY) if this host reaches Telegram only through a proxy"
                        : "check that proxy (address, port, allowed CONNECT to the Bot API host)"))
        }
    }

    /// "via proxy http://squid:3128 (TELEGRAM_PROXY)", "via proxy … (https_proxy)", or "direct (…)".
    static func telegramRoute(_ settings: Settings) -> String {
        let url = settings.telegramAPIURL
        if let proxy = settings.telegramProxy {
            // libcurl applies no_proxy to a configured proxy too.
            guard ProxyRoute.proxy(for: url, setting: .url(proxy)) != nil else {
                return "direct (no_proxy covers \(ProxyRoute.host(of: url) ?? url), so TELEGRAM_PROXY is not used)"
            }
            return "via proxy \(redacted(proxy)) (TELEGRAM_PROXY)"
        }
        guard let variable = ProxyRoute.environmentProxyVariable(for: url) else {
            return "direct (no TELEGRAM_PROXY, no \(url.hasPrefix("https") ? "https_proxy" : "http_proxy"))"
        }
        guard ProxyRoute.proxy(for: url, setting: .environment) != nil else {
            return "direct (no_proxy covers \(ProxyRoute.host(of: url) ?? url))"
        }
        return "via proxy \(redacted(variable.value)) (\(variable.name))"
    }

    /// The names the bot must resolve itself: the Bot API host (or its proxy) and MongoDB's hosts.
    static func dns(_ settings: Settings) async -> [Line] {
        var names: [String] = []
        let proxy = ProxyRoute.proxy(
            for: settings.telegramAPIURL, setting: settings.telegramProxy.map { .url($0) } ?? .environment)
        if let host = ProxyRoute.host(of: proxy ?? settings.telegramAPIURL) { names.append(host) }
        if let uri = settings.mongoURI { names += mongoHosts(uri) }
        var lines: [Line] = []
        for name in Set(names).sorted() where !isAddress(name) {
            switch await HostLookup.addresses(of: name) {
            case .success(let addresses):
                lines.append(
                    Line(status: .ok, check: "dns", detail: "\(name) → \(addresses.prefix(3).joined(separator: ", "))"))
            case .failure(let reason):
                lines.append(
                    Line(
                        status: .fail, check: "dns",
                        detail:
                            "\(name) does not resolve (\(reason)): check /etc/resolv.conf or the compose dns: (DNS_SERVER)"
                    ))
            }
        }
        return lines
    }

    /// Which ICMP sockets this process may open.
    static func icmp() -> Line {
        do {
            var logger = Logger(label: "uptime-bot.doctor")
            logger.logLevel = .critical
            let pinger = try ICMPPinger(logger: logger)
            let mode = pinger.mode
            pinger.shutdown()
            return Line(
                status: .ok, check: "icmp",
                detail: mode == .raw
                    ? "raw sockets (CAP_NET_RAW)" : "unprivileged datagram sockets (ping_group_range; no CAP_NET_RAW)")
        } catch {
            return Line(status: .fail, check: "icmp", detail: error.description)
        }
    }

    /// The health port can be bound (or is already served, by a running bot).
    static func healthPort(_ settings: Settings) -> Line {
        let address = "\(settings.healthHost):\(settings.healthPort)"
        switch PortProbe.bind(host: settings.healthHost, port: settings.healthPort) {
        case .free:
            return Line(status: .ok, check: "health port", detail: "\(address) is free for /health and /metrics")
        case .inUse:
            return Line(
                status: .warn, check: "health port",
                detail: "\(address) is in use: fine if it is this bot running; otherwise set HEALTH_PORT")
        case .failed(let reason):
            return Line(
                status: .fail, check: "health port",
                detail: "cannot bind \(address): \(reason) (HEALTH_HOST/HEALTH_PORT)")
        }
    }

    // MARK: helpers

    /// A URI or URL without the password of its user info.
    static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@") else {
            return url
        }
        let userInfo = url[scheme.upperBound..<at]
        let user = userInfo.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        return String(url[..<scheme.upperBound]) + (user.isEmpty ? "" : "\(user):***@")
            + String(url[url.index(after: at)...])
    }

    static func message(_ error: any Error) -> String {
        (error as? MongoError)?.message ?? "\(error)"
    }

    /// The host names of a mongodb:// URI (mongodb+srv:// is resolved by libmongoc over DNS SRV).
    static func mongoHosts(_ uri: String) -> [String] {
        guard let scheme = uri.range(of: "://") else { return [] }
        var rest = uri[scheme.upperBound...]
        if let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) { rest = rest[..<slash] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        return rest.split(separator: ",").compactMap { hostPort in
            if hostPort.hasPrefix("[") { return nil }  // an IPv6 literal
            return hostPort.split(separator: ":").first.map(String.init)
        }
    }

    static func isAddress(_ name: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, name, &v4) == 1 || inet_pton(AF_INET6, name, &v6) == 1
    }
}
