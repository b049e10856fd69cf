import NIOCore
import NIOPosix
import Synchronization

/// A loopback server that never answers: over TCP it accepts connections and never writes a byte
/// (a hanging site: the request is read and dropped, the client waits out its timeout); over UDP it
/// reads datagrams and drops them (a nameserver that never answers). A connection the client closes
/// is closed here too, so hanging checks do not pile up descriptors.
final class SilentServer: Sendable {
    /// Connections accepted (TCP) or datagrams dropped (UDP): proof the noise reached it.
    final class Arrivals: Sendable {
        let count = Atomic<Int>(0)
    }

    let host: String
    let port: Int
    let arrivals: Arrivals
    private let channel: any Channel

    private init(host: String, channel: any Channel, arrivals: Arrivals) {
        self.host = host
        self.port = channel.localAddress?.port ?? 0
        self.channel = channel
        self.arrivals = arrivals
    }

    /// Listens on a free port of `host`.
    static func tcp(host: String = "127.0.0.1") async throws -> SilentServer {
        let arrivals = Arrivals()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // No handler: what arrives reaches the pipeline's end and is dropped; nothing is ever written.
            .childChannelInitializer { channel in
                arrivals.count.add(1, ordering: .relaxed)
                return channel.eventLoop.makeSucceededVoidFuture()
            }
            .bind(host: host, port: 0).get()
        return SilentServer(host: host, channel: channel, arrivals: arrivals)
    }

    /// Binds `host:port` (a nameserver must be on 53: resolv.conf takes no port).
    static func udp(host: String, port: Int) async throws -> SilentServer {
        let arrivals = Arrivals()
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DroppingCounter(arrivals: arrivals))
                }
            }
            .bind(host: host, port: port).get()
        return SilentServer(host: host, channel: channel, arrivals: arrivals)
    }

    func stop() async {
        try? await channel.close()
    }
}

/// Counts each datagram and drops it.
private final class DroppingCounter: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    private let arrivals: SilentServer.Arrivals

    init(arrivals: SilentServer.Arrivals) { self.arrivals = arrivals }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        arrivals.count.add(1, ordering: .relaxed)
    }
}
