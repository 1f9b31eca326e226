import Foundation

// A loopback OpenAI-compatible stub with a fixed latency, for benchmarks (see BenchStub.swift).
//   promptctl-stub [--port N] [--latency SECONDS]
// Prints its base URL on stdout once it is listening, then serves until killed.
var port = 0
var latency = 0.05
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--port": port = Int(arguments.next() ?? "") ?? 0
    case "--latency": latency = Double(arguments.next() ?? "") ?? latency
    default:
        FileHandle.standardError.write(Data("usage: promptctl-stub [--port N] [--latency SECONDS]\n".utf8))
        exit(2)
    }
}
let channel = try await startBenchStub(port: port, latency: latency)
FileHandle.standardOutput.write(Data("http://127.0.0.1:\(channel.localAddress?.port ?? port)\n".utf8))
try await channel.closeFuture.get()
