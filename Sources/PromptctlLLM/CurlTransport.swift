import CCurl
import Foundation

/// The libcurl transport: one multi handle driven by one thread, many transfers in flight.
///
/// Requests are easy handles added to a single `CURLM`; the loop thread calls
/// `curl_multi_perform` and `curl_multi_poll`, so there is no thread per request, and the
/// multi handle's connection cache reuses connections (and multiplexes HTTP/2 streams).
/// Other threads only enqueue work and wake the loop with `curl_multi_wakeup`. A request's lane, when it has one,
/// is kept here: the requests beyond its bound wait in the loop, and one starts in the same turn that another ends.
public final class CurlTransport: HTTPTransport, @unchecked Sendable {
    private let loop: CurlMultiLoop

    /// The libcurl version string, for `promptctl version` and benchmarks.
    public static var curlVersion: String { String(cString: curl_version()) }

    /// Creates a transport and starts its loop thread.
    public init() {
        loop = CurlMultiLoop()
        // The thread owns the loop strongly; the loop outlives the transport until it has drained.
        let loop = self.loop
        let thread = Thread { loop.run() }
        thread.name = "promptctl-curl"
        thread.stackSize = 1 << 20
        thread.start()
    }

    deinit {
        loop.shutdown()
    }

    /// The loop keeps each request's lane.
    public var queuesByLane: Bool { true }

    /// Sends a request and waits for the whole response.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let transfer = try CurlTransfer(request: request)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                transfer.onComplete = { result in continuation.resume(with: result) }
                loop.enqueue(transfer)
            }
        } onCancel: {
            loop.cancel(transfer)
        }
    }

    /// Sends a request and yields its head and body chunks as they arrive.
    public func stream(_ request: HTTPRequest) -> AsyncThrowingStream<HTTPStreamEvent, any Error> {
        AsyncThrowingStream { continuation in
            let transfer: CurlTransfer
            do {
                transfer = try CurlTransfer(request: request)
            } catch {
                continuation.finish(throwing: error)
                return
            }
            transfer.onChunk = { event in continuation.yield(event) }
            transfer.onComplete = { result in
                switch result {
                case .success: continuation.finish()
                case .failure(let error): continuation.finish(throwing: error)
                }
            }
            let loop = self.loop
            continuation.onTermination = { termination in
                if case .cancelled = termination { loop.cancel(transfer) }
            }
            loop.enqueue(transfer)
        }
    }

}

/// The multi handle and its queue; driven by one thread, fed by any.
final class CurlMultiLoop: @unchecked Sendable {
    private let lock = NSLock()
    private var pendingAdds: [CurlTransfer] = []
    private var pendingCancels: [ObjectIdentifier] = []
    private var isShuttingDown = false
    /// The loop thread is (about to be) asleep in curl_multi_poll, and nobody has woken it yet: only then does a
    /// new request need curl_multi_wakeup. Requests that arrive while it works are picked up before it sleeps,
    /// so a burst of completions and new requests costs one loop turn, not one per request.
    private var sleeping = false
    private var wakeupSent = false
    // Touched only by the loop thread.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    /// Each lane's transfers on the wire and those waiting for one of them to end, oldest first.
    private var lanes: [ObjectIdentifier: (onWire: Int, waiting: [CurlTransfer])] = [:]
    private let multi: UnsafeMutableRawPointer
    private let finished = DispatchSemaphore(value: 0)

    private static let globalInit: Void = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    }()

    init() {
        _ = Self.globalInit
        multi = curl_multi_init()!
        // Let HTTP/2 multiplex many requests over one connection where the server offers it.
        _ = promptctl_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        _ = promptctl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 256)
    }

    /// Stops the loop (failing transfers in flight) and waits for the thread to finish with the handle.
    func shutdown() {
        lock.lock()
        isShuttingDown = true
        lock.unlock()
        curl_multi_wakeup(multi)
        finished.wait()
        curl_multi_cleanup(multi)
    }

    func enqueue(_ transfer: CurlTransfer) {
        lock.lock()
        let closed = isShuttingDown
        if !closed { pendingAdds.append(transfer) }
        let wake = !closed && takeWakeup()
        lock.unlock()
        if closed {
            transfer.complete(.failure(TransportError(.cancelled, "the transport is shutting down")))
            return
        }
        if wake { curl_multi_wakeup(multi) }
    }

    /// Whether the caller must wake the loop (called under the lock).
    private func takeWakeup() -> Bool {
        guard sleeping, !wakeupSent else { return false }
        wakeupSent = true
        return true
    }

    func cancel(_ transfer: CurlTransfer) {
        lock.lock()
        pendingCancels.append(ObjectIdentifier(transfer))
        // A call cancelled before its transfer was queued (the task was cancelled as it began) is caught when the
        // loop takes it, so it never goes on the wire.
        transfer.cancelRequested = true
        lock.unlock()
        curl_multi_wakeup(multi)
    }

    func run() {
        var running: Int32 = 0
        while true {
            lock.lock()
            // The flag is read under the lock that `cancel` sets it under.
            let adds = pendingAdds.map { (transfer: $0, cancelled: $0.cancelRequested) }
            let cancels = pendingCancels
            let stop = isShuttingDown
            pendingAdds.removeAll(keepingCapacity: true)
            pendingCancels.removeAll(keepingCapacity: true)
            lock.unlock()

            for (transfer, cancelled) in adds {
                if cancelled {
                    transfer.complete(.failure(TransportError(.cancelled, "the request was cancelled")))
                } else {
                    admit(transfer)
                }
            }
            for id in cancels {
                if let (handle, transfer) = active.first(where: { ObjectIdentifier($0.value) == id }) {
                    finish(handle, transfer, .failure(TransportError(.cancelled, "the request was cancelled")))
                } else if let waiting = removeWaiting(id) {
                    waiting.complete(.failure(TransportError(.cancelled, "the request was cancelled")))
                }
            }
            if stop {
                for (handle, transfer) in active {
                    finish(handle, transfer, .failure(TransportError(.cancelled, "the transport is shutting down")))
                }
                for transfer in lanes.values.flatMap(\.waiting) {
                    transfer.complete(.failure(TransportError(.cancelled, "the transport is shutting down")))
                }
                lanes.removeAll()
                finished.signal()
                return
            }

            curl_multi_perform(multi, &running)
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                    let transfer = active[handle]
                else { continue }
                let code = message.pointee.data.result
                finish(handle, transfer, transfer.result(for: code))
            }
            // A transfer that left its lane's queue just now goes on the wire before the loop sleeps.
            let startedWaiting = startWaiting()
            lock.lock()
            sleeping = pendingAdds.isEmpty && pendingCancels.isEmpty && !isShuttingDown && !startedWaiting
            wakeupSent = false
            let sleep = sleeping
            lock.unlock()
            if sleep {
                curl_multi_poll(multi, nil, 0, 1000, nil)
                lock.lock()
                sleeping = false
                lock.unlock()
            }
        }
    }

    /// Puts a new transfer on the wire, or in its lane's queue when the lane is full.
    private func admit(_ transfer: CurlTransfer) {
        guard let lane = transfer.lane else { return start(transfer) }
        let id = ObjectIdentifier(lane)
        let state = lanes[id, default: (0, [])]
        if state.onWire < lane.limit && state.waiting.isEmpty {
            lanes[id] = (state.onWire + 1, state.waiting)
            start(transfer)
        } else {
            lanes[id] = (state.onWire, state.waiting + [transfer])
        }
    }

    private func start(_ transfer: CurlTransfer) {
        active[transfer.easy] = transfer
        transfer.startTime = DispatchTime.now().uptimeNanoseconds
        curl_multi_add_handle(multi, transfer.easy)
    }

    /// Starts the queued transfers their lanes now have room for; whether it started any.
    private func startWaiting() -> Bool {
        var started = false
        for (id, state) in lanes where !state.waiting.isEmpty {
            guard let limit = state.waiting.first?.lane?.limit, state.onWire < limit else { continue }
            let count = min(limit - state.onWire, state.waiting.count)
            lanes[id] = (state.onWire + count, Array(state.waiting.dropFirst(count)))
            for transfer in state.waiting.prefix(count) { start(transfer) }
            started = true
        }
        return started
    }

    /// Takes a cancelled transfer out of its lane's queue.
    private func removeWaiting(_ id: ObjectIdentifier) -> CurlTransfer? {
        for (laneID, state) in lanes {
            guard let index = state.waiting.firstIndex(where: { ObjectIdentifier($0) == id }) else { continue }
            var waiting = state.waiting
            let transfer = waiting.remove(at: index)
            lanes[laneID] = (state.onWire, waiting)
            return transfer
        }
        return nil
    }

    private func finish(
        _ handle: UnsafeMutableRawPointer, _ transfer: CurlTransfer, _ result: Result<HTTPResponse, any Error>
    ) {
        curl_multi_remove_handle(multi, handle)
        active[handle] = nil
        if let lane = transfer.lane, let state = lanes[ObjectIdentifier(lane)] {
            lanes[ObjectIdentifier(lane)] =
                state.onWire <= 1 && state.waiting.isEmpty ? nil : (state.onWire - 1, state.waiting)
        }
        transfer.complete(result)
    }
}

/// One request's curl easy handle and the buffers its callbacks fill; lives on the loop thread once added.
final class CurlTransfer: @unchecked Sendable {
    let easy: UnsafeMutableRawPointer
    /// The client's bound this transfer counts against, if any.
    let lane: TransferLane?
    /// Set under the loop's lock when the call is cancelled.
    var cancelRequested = false
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let maxResponseBytes: Int
    var body = Data()
    var headers: [String: String] = [:]
    var status = 0
    var exceededLimit = false
    var headDelivered = false
    var startTime: UInt64 = 0
    var onChunk: ((HTTPStreamEvent) -> Void)?
    var onComplete: ((Result<HTTPResponse, any Error>) -> Void)?
    private var completed = false

    init(request: HTTPRequest) throws {
        guard let easy = curl_easy_init() else { throw TransportError(.other, "curl_easy_init failed") }
        self.easy = easy
        self.lane = request.lane
        self.maxResponseBytes = request.maxResponseBytes
        guard request.url.hasPrefix("http://") || request.url.hasPrefix("https://") else {
            curl_easy_cleanup(easy)
            throw TransportError(.invalidRequest, "unsupported URL '\(request.url)'; use http:// or https://")
        }
        _ = promptctl_easy_setopt_string(easy, CURLOPT_URL, request.url)
        _ = promptctl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = promptctl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(request.timeout * 1000))
        _ = promptctl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(request.connectTimeout * 1000))
        // HTTP/2 over TLS when the server offers it; HTTP/1.1 on cleartext.
        _ = promptctl_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        // Over TLS a second request waits for the first connection's ALPN, so that an HTTP/2 provider carries them
        // all on one connection. Over plain http (a local model, a loopback stub) there is no HTTP/2 to wait for,
        // and waiting held every request of a run's first wave until the first answer came back (64 requests
        // left over 150 ms instead of at once).
        if request.url.prefix(8).lowercased() == "https://" {
            _ = promptctl_easy_setopt_long(easy, CURLOPT_PIPEWAIT, 1)
        }
        _ = promptctl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1)
        _ = promptctl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2)
        _ = promptctl_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        _ = promptctl_easy_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, "")
        _ = promptctl_easy_setopt_offset(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(request.maxResponseBytes))
        for header in request.headers {
            headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
        }
        // curl adds "Expect: 100-continue" to large POSTs, costing a round trip; LLM APIs do not need it.
        headerList = curl_slist_append(headerList, "Expect:")
        _ = promptctl_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList))
        switch request.method.uppercased() {
        case "GET":
            _ = promptctl_easy_setopt_long(easy, CURLOPT_HTTPGET, 1)
        case "POST":
            _ = promptctl_easy_setopt_long(easy, CURLOPT_POST, 1)
        case "HEAD":
            // A custom "HEAD" would wait for the body the Content-Length announces; NOBODY knows there is none.
            _ = promptctl_easy_setopt_long(easy, CURLOPT_NOBODY, 1)
        default:
            _ = promptctl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method.uppercased())
        }
        if let bodyData = request.body {
            _ = promptctl_easy_setopt_offset(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bodyData.count))
            // COPYPOSTFIELDS makes curl own a copy, so the Data's lifetime does not matter.
            bodyData.withUnsafeBytes { raw in
                _ = promptctl_easy_setopt_pointer(
                    easy, CURLOPT_COPYPOSTFIELDS,
                    UnsafeMutableRawPointer(mutating: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
            }
        }
        let context = Unmanaged.passUnretained(self).toOpaque()
        _ = promptctl_easy_setopt_write_function(easy, CURLOPT_WRITEFUNCTION, curlWriteCallback)
        _ = promptctl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context)
        _ = promptctl_easy_setopt_write_function(easy, CURLOPT_HEADERFUNCTION, curlHeaderCallback)
        _ = promptctl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context)
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
    }

    func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if body.count + bytes.count > maxResponseBytes {
            exceededLimit = true
            return false
        }
        if let onChunk {
            deliverHeadIfNeeded()
            onChunk(.data(Data(bytes)))
        } else {
            body.append(contentsOf: bytes)
        }
        return true
    }

    func deliverHeadIfNeeded() {
        guard !headDelivered, let onChunk else { return }
        headDelivered = true
        var code = 0
        _ = promptctl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &code)
        onChunk(.head(status: code, headers: headers))
    }

    /// One header line, parsed as bytes: this runs on the curl thread for every header of every response,
    /// so it avoids Foundation's string trimming.
    func receiveHeader(_ bytes: UnsafeRawBufferPointer) {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D || bytes[end - 1] == 0x20 { end -= 1 }
        guard end > 0 else { return }
        if end >= 5, bytes[0] == 0x48, bytes[1] == 0x54, bytes[2] == 0x54, bytes[3] == 0x50, bytes[4] == 0x2F {
            // "HTTP/": a new status line (after 100 Continue or a redirect) starts a new header block.
            headers = [:]
            return
        }
        guard let colon = (0..<end).first(where: { bytes[$0] == 0x3A }) else { return }
        var name = [UInt8](repeating: 0, count: colon)
        for index in 0..<colon {
            let byte = bytes[index]
            name[index] = byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte
        }
        var start = colon + 1
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        headers[String(decoding: name, as: UTF8.self)] = String(
            decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    func result(for code: CURLcode) -> Result<HTTPResponse, any Error> {
        if code == CURLE_OK {
            var status = 0
            _ = promptctl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            var version = 0
            _ = promptctl_easy_getinfo_long(easy, CURLINFO_HTTP_VERSION, &version)
            var total = 0.0
            _ = promptctl_easy_getinfo_double(easy, CURLINFO_TOTAL_TIME, &total)
            deliverHeadIfNeeded()
            let versionText =
                switch version {
                case Int(CURL_HTTP_VERSION_2_0): "2"
                case Int(CURL_HTTP_VERSION_3): "3"
                case Int(CURL_HTTP_VERSION_1_0): "1.0"
                default: "1.1"
                }
            return .success(
                HTTPResponse(status: status, headers: headers, body: body, httpVersion: versionText, totalTime: total))
        }
        let message = String(cString: curl_easy_strerror(code))
        let kind: TransportError.Kind
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            kind = .timeout
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            kind = .connectionFailed
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2,
            CURLE_HTTP2_STREAM:
            kind = .connectionReset
        case CURLE_FILESIZE_EXCEEDED:
            kind = .responseTooLarge
        case CURLE_WRITE_ERROR where exceededLimit:
            kind = .responseTooLarge
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE:
            kind = .tls
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            kind = .invalidRequest
        default:
            kind = .other
        }
        let detail = kind == .responseTooLarge ? "response larger than \(maxResponseBytes) bytes" : message
        return .failure(TransportError(kind, detail))
    }

    func complete(_ result: Result<HTTPResponse, any Error>) {
        guard !completed else { return }
        completed = true
        let handler = onComplete
        onComplete = nil
        onChunk = nil
        handler?(result)
    }
}

private func curlWriteCallback(
    _ pointer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let pointer, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    return transfer.receive(UnsafeRawBufferPointer(start: pointer, count: length)) ? length : 0
}

private func curlHeaderCallback(
    _ pointer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let pointer, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    transfer.receiveHeader(UnsafeRawBufferPointer(start: pointer, count: length))
    return length
}
