import HTTP1
import IO
import LoadtestCore
#if canImport(Glibc)
import Glibc
#endif

/// One keep-alive HTTP/1.1 client connection of a run, pinned to its worker's event loop, with at most
/// one request in flight. The worker decides when it sends; the connection sends, parses the response
/// with `ResponseParser`, and reports the outcome. Every method runs on the loop's queue.
final class LoadConnection: StreamDelegate, @unchecked Sendable {
    enum State { case disconnected, connecting, ready, busy, retired }

    unowned let worker: LoopWorker
    private(set) var state = State.disconnected
    private var stream: TCPStream?
    private var parser = ResponseParser()
    /// Reused request bytes: rendering never allocates after the first request.
    private var scratch: [UInt8] = []
    /// The request in flight: its (intended) send time, whether it is measured, its token kind.
    private var sendTime: UInt64 = 0
    private var measured = false
    private var tokenKind: TokenKind?
    private var status = 0
    private var keepAlive = true
    private var sawFinalHead = false
    /// The response in flight is not the simple shape: `ResponseParser` frames it.
    private var strictParsing = false
    private var requestIsHead = false
    /// Monotonic time after which the connect or the response times out.
    private(set) var deadline = UInt64.max
    /// Whether the worker's open-loop idle list holds this connection.
    var isListedIdle = false

    init(worker: LoopWorker) {
        self.worker = worker
        scratch.reserveCapacity(1024)
    }

    /// Opens the TCP connection; the worker hears `connectionReady` or `connectFailed`.
    func connect(now: UInt64) {
        state = .connecting
        parser = ResponseParser()
        deadline = now &+ worker.timeout
        guard let s = TCPStream.connect(to: worker.plan.address, loop: worker.loop, delegate: self) else {
            let code = errno
            state = .disconnected
            worker.connectFailed(self, kind: TransportErrorClassifier.kind(errno: code, connecting: true), now: now)
            return
        }
        if let tls = worker.plan.tls {   // before the connect completes (a later turn of the loop)
            guard let session = tls.makeConnection(host: worker.plan.serverName) else {
                s.abort()
                state = .disconnected
                worker.connectFailed(self, kind: .other, now: now)
                return
            }
            s.transform = session
        }
        stream = s
    }

    /// Sends the next request of the worker's cursor. `sendTime` is when it is (or was intended to be)
    /// sent; latency counts from it. Precondition: `state == .ready`.
    func send(sendTime: UInt64, measured: Bool, now: UInt64) {
        let catalog = worker.plan.catalog
        let planned = worker.cursor.next(in: catalog)
        catalog.render(planned, into: &scratch)
        parser.expectResponse(toMethod: catalog.methods[planned.template])
        self.sendTime = sendTime
        self.measured = measured
        tokenKind = planned.token?.kind
        status = 0
        keepAlive = true
        sawFinalHead = false
        strictParsing = false
        requestIsHead = catalog.isHead[planned.template]
        state = .busy
        deadline = now &+ worker.timeout
        if measured { worker.result.recordRequest() }
        // May fail synchronously and re-enter `streamDidFail`: all state is set before.
        scratch.withUnsafeBytes { stream?.write($0) }
    }

    /// Closes for good (the run is over).
    func retire() {
        stream?.close()
        stream = nil
        state = .retired
        deadline = .max
    }

    /// The worker's tick found `deadline` passed.
    func timedOut(now: UInt64) {
        switch state {
        case .connecting:
            abandonStream()
            state = .disconnected
            worker.connectFailed(self, kind: .connectTimeout, now: now)
        case .busy:
            failRequest(.responseTimeout, now: now)
        default:
            deadline = .max
        }
    }

    private func abandonStream() {
        stream?.delegate = nil
        stream?.abort()
        stream = nil
    }

    /// The request in flight got no response: record it, drop the connection, reconnect.
    private func failRequest(_ kind: TransportErrorKind, now: UInt64) {
        abandonStream()
        state = .disconnected
        deadline = .max
        worker.requestFailed(kind, measured: measured, now: now)
        worker.reconnect(self, now: now, afterFailure: false)
    }

    private func complete(now: UInt64) {
        state = .ready
        deadline = .max
        worker.responseCompleted(status: status, latency: now > sendTime ? now - sendTime : 0,
                                 measured: measured, tokenKind: tokenKind)
        if keepAlive {
            worker.connectionReady(self, now: now)
        } else {
            abandonStream()
            state = .disconnected
            worker.reconnect(self, now: now, afterFailure: false)
        }
    }

    // MARK: StreamDelegate

    func streamDidConnect(_ stream: TCPStream) {
        let now = worker.now
        state = .ready
        deadline = .max
        worker.connectionReady(self, now: now)
    }

    func streamDidRead(_ stream: TCPStream) {
        guard state == .busy else {
            // Bytes nobody asked for: the connection cannot be trusted for the next response.
            abandonStream()
            state = .disconnected
            worker.reconnect(self, now: worker.now, afterFailure: false)
            return
        }
        if !strictParsing {
            // Fast path: a whole `HTTP/1.1` response with one Content-Length, framed without allocating.
            let isHead = requestIsHead
            switch stream.inbound.withReadableBytes({ ResponseFastPath.scan($0, requestWasHead: isHead) }) {
            case .complete(let status, let length):
                stream.inbound.moveReaderIndex(by: length)
                self.status = status
                keepAlive = true
                complete(now: worker.now)
                return
            case .incomplete:
                return
            case .unsupported:
                strictParsing = true
            }
        }
        while true {
            let result = stream.inbound.withReadableBytes { buffer in
                Result { () throws(HTTPParseError) -> (ParseEvent<ParsedResponse>, Int) in try parser.parse(buffer) }
            }
            switch result {
            case .failure:
                failRequest(.invalidResponse, now: worker.now)
                return
            case .success(let (event, consumed)):
                stream.inbound.moveReaderIndex(by: consumed)
                switch event {
                case .needMore:
                    if consumed == 0 || stream.inbound.isEmpty { return }
                case .head(let response):
                    if response.head.status >= 200 {
                        status = response.head.status
                        keepAlive = response.keepAlive
                        sawFinalHead = true
                    }
                case .body:
                    break
                case .end:
                    complete(now: worker.now)
                    return
                }
            }
        }
    }

    func streamDidReachEOF(_ stream: TCPStream) {
        let now = worker.now
        guard state == .busy else {
            // The server closed an idle keep-alive connection: reconnect without counting an error.
            abandonStream()
            state = .disconnected
            worker.reconnect(self, now: now, afterFailure: false)
            return
        }
        let finished = Result { () throws(HTTPParseError) -> ParseEvent<ParsedResponse> in try parser.finish() }
        if case .success(.end) = finished, sawFinalHead {
            keepAlive = false   // a body delimited by the close
            complete(now: now)
        } else {
            failRequest(.closedByPeer, now: now)
        }
    }

    func streamDidDrain(_ stream: TCPStream) {}

    func streamDidFail(_ stream: TCPStream, errno code: Int32) {
        let now = worker.now
        self.stream = nil
        switch state {
        case .connecting:
            state = .disconnected
            worker.connectFailed(self, kind: TransportErrorClassifier.kind(errno: code, connecting: true), now: now)
        case .busy:
            failRequest(TransportErrorClassifier.kind(errno: code, connecting: false), now: now)
        default:
            state = .disconnected
            worker.reconnect(self, now: now, afterFailure: false)
        }
    }
}
