import IO
#if canImport(Glibc)
import Glibc
#endif
import LoadtestCore

/// Everything one run needs, fixed before the first connection opens and shared read-only by every
/// event loop.
struct RunPlan: Sendable {
    /// Where to connect (resolved once, before the run).
    let address: SocketAddress
    /// The requests to send, with their tokens.
    let catalog: RequestCatalog
    /// Connections, mode, warm-up, duration and timeout.
    let load: LoadOptions
}

/// Why a transport error happened, from an errno of a failed connect or a failed connection.
enum TransportErrorClassifier {
    /// `connecting` tells a failed connect from a failure of an established connection.
    static func kind(errno code: Int32, connecting: Bool) -> TransportErrorKind {
        switch code {
        case ECONNREFUSED: return .connectRefused
        case ETIMEDOUT: return connecting ? .connectTimeout : .responseTimeout
        case ECONNRESET, EPIPE, ECONNABORTED: return .connectionReset
        default: return .other
        }
    }
}
