import NIOCore
import NIOHTTP1

/// One HTTP/1.1 connection to the fake, as a plain NIO handler: most answers are computed and
/// written on the connection's event loop, without a hop to a task and back, so the fake costs
/// the benchmark as little CPU as it can (it shares the cores with the bot it measures). A held
/// getUpdates or a scripted delay is awaited in a task. Requests on one connection are answered
/// in order (`configureHTTPServerPipeline` holds pipelined ones back).
final class FakeHTTPConnection: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Larger bodies are refused with 413, as Telegram refuses them.
    static let maxBody = 16 << 20

    private let server: FakeBotAPIServer
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var bodyTooLarge = false

    init(server: FakeBotAPIServer) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body.removeAll(keepingCapacity: true)
            bodyTooLarge = false
        case .body(let chunk):
            if body.count + chunk.readableBytes > Self.maxBody {
                bodyTooLarge = true
            } else {
                body.append(contentsOf: chunk.readableBytesView)
            }
        case .end:
            guard let requestHead = head else { return }
            head = nil
            answer(requestHead, context: context)
        }
    }

    private func answer(_ requestHead: HTTPRequestHead, context: ChannelHandlerContext) {
        let keepAlive = requestHead.isKeepAlive
        if bodyTooLarge {
            write(FakeAnswer.error(413, "Request Entity Too Large"), keepAlive: false, context: context)
            return
        }
        let uri = requestHead.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let reply = server.reply(
            path: String(uri.first ?? ""), query: uri.count > 1 ? String(uri[1]) : nil,
            contentType: requestHead.headers.first(name: "content-type"), body: body)
        switch reply {
        case .now(let answer):
            write(answer, keepAlive: keepAlive, context: context)
        case .later(let produce):
            let eventLoop = context.eventLoop
            let bound = NIOLoopBound((handler: self, context: context), eventLoop: eventLoop)
            server.trackLateReply {
                let answer = await produce()
                eventLoop.execute {
                    bound.value.handler.write(answer, keepAlive: keepAlive, context: bound.value.context)
                }
            }
        }
    }

    private func write(_ answer: FakeAnswer, keepAlive: Bool, context: ChannelHandlerContext) {
        let (contentType, bytes) =
            answer.file.map { ("application/octet-stream", $0) } ?? answer.html.map { ("text/html", Array($0.utf8)) }
            ?? ("application/json", answer.body.serialized)
        var headers = HTTPHeaders([("content-type", contentType), ("content-length", "\(bytes.count)")])
        if !keepAlive { headers.add(name: "connection", value: "close") }
        let responseHead = HTTPResponseHead(
            version: .http1_1, status: HTTPResponseStatus(statusCode: answer.status), headers: headers)
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
