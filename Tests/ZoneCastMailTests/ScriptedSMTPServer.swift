import Foundation
import NIOCore
import NIOPosix
@testable import ZoneCastMail

/// A loopback server that answers each command line with scripted replies, for the paths the real test server never
/// takes (a server without EHLO, a malformed greeting, no AUTH offered). It records the commands it received.
final class ScriptedSMTPServer: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [String] = []
    private var channel: (any Channel)?
    var commands: [String] { lock.withLock { received } }

    /// `greeting` is sent on connect; `reply` maps each command line to the reply lines (CRLF added). After a reply
    /// starting "354" the lines up to "." are message data, answered with `afterData`.
    func start(greeting: String, afterData: [String] = ["250 OK"], reply: @escaping @Sendable (String) -> [String]) async throws -> Int {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(SMTPLineDecoder()),
                        Handler(server: self, greeting: greeting, afterData: afterData, reply: reply),
                    ])
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        channel = server
        return server.localAddress!.port!
    }

    func stop() async { try? await channel?.close() }

    fileprivate func record(_ line: String) { lock.withLock { received.append(line) } }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = String
        typealias OutboundOut = ByteBuffer
        let server: ScriptedSMTPServer
        let greeting: String
        let afterData: [String]
        let reply: @Sendable (String) -> [String]
        var inData = false

        init(server: ScriptedSMTPServer, greeting: String, afterData: [String], reply: @escaping @Sendable (String) -> [String]) {
            self.server = server
            self.greeting = greeting
            self.afterData = afterData
            self.reply = reply
        }

        func channelActive(context: ChannelHandlerContext) { send([greeting], context: context) }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let line = unwrapInboundIn(data)
            if inData {
                if line == "." { inData = false; send(afterData, context: context) }
                return
            }
            server.record(line)
            let lines = reply(line)
            if lines.first?.hasPrefix("354") == true { inData = true }
            send(lines, context: context)
        }

        private func send(_ lines: [String], context: ChannelHandlerContext) {
            guard !lines.isEmpty else { return }
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: lines.map { $0 + "\r\n" }.joined())), promise: nil)
        }
    }
}
