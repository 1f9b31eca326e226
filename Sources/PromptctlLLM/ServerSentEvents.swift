import Foundation

/// One server-sent event.
public struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` field; nil when absent.
    public var event: String?
    /// The `data:` lines joined by newlines.
    public var data: String
}

/// Splits a byte stream into server-sent events, across arbitrary chunk boundaries.
public struct ServerSentEventParser: Sendable {
    private var buffer = Data()
    private var event: String?
    private var dataLines: [String] = []

    /// Creates a parser.
    public init() {}

    /// Feeds bytes and returns the events they complete.
    public mutating func feed(_ chunk: Data) -> [ServerSentEvent] {
        buffer.append(chunk)
        var events: [ServerSentEvent] = []
        while let newline = buffer.firstIndex(of: 0x0A) {
            var lineData = buffer[buffer.startIndex..<newline]
            if lineData.last == 0x0D { lineData = lineData.dropLast() }
            let line = String(decoding: lineData, as: UTF8.self)
            buffer.removeSubrange(buffer.startIndex...newline)
            if line.isEmpty {
                if !dataLines.isEmpty || event != nil {
                    events.append(ServerSentEvent(event: event, data: dataLines.joined(separator: "\n")))
                }
                event = nil
                dataLines = []
            } else if line.hasPrefix(":") {
                continue
            } else if let colon = line.firstIndex(of: ":") {
                let field = String(line[..<colon])
                var value = line[line.index(after: colon)...]
                if value.first == " " { value = value.dropFirst() }
                switch field {
                case "event": event = String(value)
                case "data": dataLines.append(String(value))
                default: break
                }
            }
        }
        return events
    }

    /// Ends the stream; returns a last event that had no blank line after it.
    public mutating func finish() -> [ServerSentEvent] {
        var events = feed(Data([0x0A]))
        if !dataLines.isEmpty {
            events.append(ServerSentEvent(event: event, data: dataLines.joined(separator: "\n")))
            dataLines = []
        }
        return events
    }
}
