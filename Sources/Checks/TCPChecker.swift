import ICMP
import NIOCore
import NIOPosix
import Targets

#if canImport(Glibc)
    import Glibc
#endif
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Checks TCP ports on swift-nio's event loops: a non-blocking connect, then the optional send text
/// and a wait for the expected reply, all within one timeout. A thousand checks are a thousand
/// sockets on the loops, never a thread each.
///
/// The host is resolved here (`HostResolver`) and the target policy judges the address before
/// anything is sent; the connection goes to that very address, so a name cannot be re-resolved
/// elsewhere between the judgement and the connect.
public struct TCPChecker: Sendable {
    private let group: any EventLoopGroup
    let resolver: HostResolver
    /// nil checks every address (the operator's CLI); the same TARGET_ALLOW / TARGET_DENY as the other kinds.
    var policy: TargetPolicy?

    public init(
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, resolver: HostResolver = HostResolver(),
        policy: TargetPolicy? = nil
    ) {
        self.group = group
        self.resolver = resolver
        self.policy = policy
    }

    /// Checks once within `timeout`; a failing port is a result, only cancellation throws.
    public func check(_ target: CheckTarget, timeout: Duration) async throws(CancellationError) -> TargetCheckResult {
        let result = TargetCheckResult.timing(target)
        let port: TCPTarget
        do { port = try TCPTarget(parsing: target.target) } catch {
            return result(.invalidTarget(reason: "\(error)"))
        }
        let address: SocketAddress
        switch await connectAddress(port, ownerIsAdmin: target.ownerIsAdmin) {
        case .success(let resolved): address = resolved
        case .failure(let failure): return result(failure)
        }
        if Task.isCancelled { throw CancellationError() }
        let failure = await probe(address, port, deadline: .now() + TimeAmount(timeout))
        if Task.isCancelled { throw CancellationError() }
        return result(failure)
    }

    /// The address to connect to: the host's first (getaddrinfo's preference), judged by the policy.
    private func connectAddress(_ port: TCPTarget, ownerIsAdmin: Bool) async -> Result<SocketAddress, CheckFailure> {
        guard case .success(let addresses) = await resolver.addresses(of: port.host), let first = addresses.first
        else { return .failure(.dnsFailure(host: port.host)) }
        if let policy {
            guard let judged = IPBytes(first) else {
                return .failure(.deniedByPolicy(reason: "\(first) cannot be judged by the target policy"))
            }
            let host = IPBytes(port.host) == nil ? port.host : nil
            if let refusal = policy.refusal(address: judged, host: host, ownerIsAdmin: ownerIsAdmin) {
                return .failure(.deniedByPolicy(reason: refusal.description))
            }
        }
        do { return .success(try SocketAddress(ipAddress: first, port: port.port)) } catch {
            return .failure(.invalidTarget(reason: "\(first) is not an address"))
        }
    }

    /// Connects, sends, waits for the expected text; nil when all of it happened before `deadline`.
    private func probe(_ address: SocketAddress, _ port: TCPTarget, deadline: NIODeadline) async -> CheckFailure? {
        let expected = port.expect.map { Array($0.utf8) }
        let loop = group.next()
        let replied = loop.makePromise(of: Void.self)
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(max(.milliseconds(1), deadline - .now()))
            .channelInitializer { channel in
                guard let expected else { return channel.eventLoop.makeSucceededVoidFuture() }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ReplyMatcher(expected: expected, replied: replied))
                }
            }
        let channel: any Channel
        do { channel = try await bootstrap.connect(to: address).get() } catch {
            replied.fail(error)
            return Self.failure(error)
        }
        defer { channel.close(promise: nil) }
        if let send = port.send {
            do { try await channel.writeAndFlush(ByteBuffer(string: send)).get() } catch {
                replied.fail(error)
                return Self.failure(error)
            }
        }
        guard let text = port.expect else {
            replied.succeed()
            return nil
        }
        let timer = loop.scheduleTask(deadline: deadline) { replied.fail(ReplyMatcher.Outcome.timedOut) }
        defer { timer.cancel() }
        do {
            try await replied.futureResult.get()
            return nil
        } catch ReplyMatcher.Outcome.timedOut, ReplyMatcher.Outcome.closed {
            return .replyMismatch(expected: text)
        } catch {
            return Self.failure(error)
        }
    }

    /// A connect or I/O error in the vocabulary of `CheckFailure`.
    static func failure(_ error: any Error) -> CheckFailure {
        switch error {
        case ChannelError.connectTimeout: return .timeout
        case let connection as NIOConnectionError:
            return connection.connectionErrors.first.map { failure($0.error) } ?? .connectionFailed(reason: "\(error)")
        case let io as IOError:
            switch io.errnoCode {
            case ECONNREFUSED: return .refused
            case ETIMEDOUT: return .timeout
            case EHOSTUNREACH, ENETUNREACH: return .unreachable(reason: String(cString: strerror(io.errnoCode)))
            default: return .connectionFailed(reason: String(cString: strerror(io.errnoCode)))
            }
        default: return .connectionFailed(reason: "\(error)")
        }
    }
}

/// Watches the reply for the expected bytes across reads, keeping no more of it than a match could straddle.
final class ReplyMatcher: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    enum Outcome: Error {
        case timedOut
        case closed
    }

    private let expected: [UInt8]
    private let replied: EventLoopPromise<Void>
    private var window: [UInt8] = []

    init(expected: [UInt8], replied: EventLoopPromise<Void>) {
        self.expected = expected
        self.replied = replied
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        window.append(contentsOf: buffer.readableBytesView)
        if window.count >= expected.count, Self.contains(window, expected) {
            replied.succeed()
            return
        }
        // All of it was searched: only a tail shorter than the text can still begin a match.
        let keep = expected.count - 1
        if window.count > keep { window.removeFirst(window.count - keep) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        replied.fail(Outcome.closed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        replied.fail(error)
        context.close(promise: nil)
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}
