import NIOCore
import NIOPosix
import Synchronization

/// A TCP listener on loopback for TCP checks: it greets each connection with `banner` (if any), then
/// echoes what it reads. `connections` counts them, so a test can tell none reached it.
public final class TCPTestServer: Sendable {
    public let port: Int
    public let host: String
    private let channel: any Channel
    private let counter: Counter

    public init(host: String = "127.0.0.1", banner: String? = nil) async throws {
        let counter = Counter()
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 4096)
            .childChannelInitializer { channel in
                counter.count.add(1, ordering: .relaxed)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(GreetAndEcho(banner: banner))
                }
            }
        channel = try await bootstrap.bind(host: host, port: 0).get()
        self.host = host
        self.port = channel.localAddress?.port ?? 0
        self.counter = counter
    }

    /// Connections accepted so far.
    public var connections: Int { counter.count.load(ordering: .relaxed) }

    public func stop() async {
        try? await channel.close()
    }

    private final class Counter: Sendable {
        let count = Atomic<Int>(0)
    }
}

private final class GreetAndEcho: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let banner: String?

    init(banner: String?) { self.banner = banner }

    func channelActive(context: ChannelHandlerContext) {
        if let banner { context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: banner)), promise: nil) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.writeAndFlush(data, promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
