import Foundation
import NIOCore
import NIOPosix

/// A TCP listener on 127.0.0.1 that misbehaves below HTTP, for transport fault tests.
///
/// Not an HTTP server: it reads the request bytes and then either closes the connection at once
/// (the client sees an empty reply or a reset) or writes a response head that promises more body
/// than it sends before closing (a truncated transfer).
public final class FaultyTCPServer: Sendable {
    /// What the server does with each connection.
    public enum Fault: Sendable {
        /// Close as soon as the request arrives.
        case closeImmediately
        /// Send a head with Content-Length 1000, then 20 bytes, then close.
        case truncatedBody
    }

    /// The bound port.
    public let port: Int
    private let channel: any Channel

    /// Starts listening on a free port.
    public static func start(_ fault: Fault) async throws -> FaultyTCPServer {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.addHandler(FaultHandler(fault: fault))
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        return FaultyTCPServer(port: channel.localAddress?.port ?? 0, channel: channel)
    }

    private init(port: Int, channel: any Channel) {
        self.port = port
        self.channel = channel
    }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Stops listening.
    public func stop() async {
        try? await channel.close()
    }
}

final class FaultHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let fault: FaultyTCPServer.Fault

    init(fault: FaultyTCPServer.Fault) { self.fault = fault }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch fault {
        case .closeImmediately:
            context.close(promise: nil)
        case .truncatedBody:
            let head =
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"choices\":[{\"mes"
            let buffer = context.channel.allocator.buffer(string: head)
            context.writeAndFlush(NIOAny(buffer)).whenComplete { _ in context.close(promise: nil) }
        }
    }
}
