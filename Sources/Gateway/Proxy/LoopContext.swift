import IO
import HTTP1

/// Everything a connection needs that is shared by all connections of one event loop: the upstream
/// pools, the request-id generator, the connection registry. Confined to the loop.
final class LoopContext: @unchecked Sendable {
    unowned let loop: EventLoop
    let shared: GatewayShared
    let pools: [UpstreamPool]
    var connections: [ObjectIdentifier: ClientConnection] = [:]
    private let requestIDPrefix: UInt64
    private var requestCounter: UInt64 = 0

    init(loop: EventLoop, shared: GatewayShared) {
        self.loop = loop
        self.shared = shared
        pools = shared.upstreams.map { UpstreamPool(settings: $0, loop: loop) }
        var rng = SystemRandomNumberGenerator()
        requestIDPrefix = rng.next()
    }

    /// A unique request id: a random per-loop prefix and a counter (no syscall per request).
    func nextRequestID() -> String {
        requestCounter &+= 1
        let prefix = requestIDPrefix, counter = requestCounter
        return String(unsafeUninitializedCapacity: 32) { buf in
            let hex: StaticString = "0123456789abcdef"
            for i in 0..<16 {
                buf[i] = hex.utf8Start[Int((prefix >> UInt64(60 - 4 * i)) & 0xF)]
                buf[16 + i] = hex.utf8Start[Int((counter >> UInt64(60 - 4 * i)) & 0xF)]
            }
            return 32
        }
    }

    /// The client's `X-Request-Id` when it is sane (1–128 visible ASCII characters), else a new one.
    func requestID(for head: RequestHead) -> String {
        if let given = head.headers.first("X-Request-Id"), !given.isEmpty, given.utf8.count <= 128,
           given.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            return given
        }
        return nextRequestID()
    }
}
