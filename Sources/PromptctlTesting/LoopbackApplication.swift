import Hummingbird
import Logging
import PromptctlCore

/// Runs `router` on 127.0.0.1 (port 0 picks a free one) in a task and returns the bound port and the task;
/// every loopback double of the tests starts this way.
func runOnLoopback(
    _ router: Router<BasicRequestContext>, port requestedPort: Int = 0, serverName: String, what: String
) async throws -> (port: Int, task: Task<Void, any Error>) {
    let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let app = Application(
        router: router,
        configuration: .init(address: .hostname("127.0.0.1", port: requestedPort), serverName: serverName),
        onServerRunning: { channel in
            portContinuation.yield(channel.localAddress?.port ?? 0)
            portContinuation.finish()
        },
        logger: {
            var logger = Logger(label: serverName)
            logger.logLevel = .critical
            return logger
        }()
    )
    let task = Task { try await app.run() }
    var port = 0
    for await bound in portStream {
        port = bound
        break
    }
    guard port > 0 else {
        task.cancel()
        throw PromptctlError(.infrastructure, "\(what) did not start")
    }
    return (port, task)
}
