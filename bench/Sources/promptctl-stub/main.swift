import Foundation
import PromptctlTesting

// A loopback OpenAI/Azure/Anthropic stub with a fixed latency, for benchmarks.
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
let server = try await LoopbackLLMServer.start(port: port, latency: latency) { _, user in
    "Entendo você. Procure agora a maternidade ou ligue para o SAMU 192. \(user.prefix(40))"
}
FileHandle.standardOutput.write(Data((server.baseURL + "\n").utf8))
while true { try await Task.sleep(nanoseconds: 3_600_000_000_000) }
