import IO
#if canImport(Glibc)
import Glibc
#endif
import LoadtestCore
import PortcullisTLS

/// Everything one run needs, fixed before the first connection opens and shared read-only by every
/// event loop.
struct RunPlan: Sendable {
    /// Where to connect (resolved once, before the run).
    let address: SocketAddress
    /// The requests to send, with their tokens.
    let catalog: RequestCatalog
    /// Connections, mode, warm-up, duration and timeout.
    let load: LoadOptions
    /// `https://` targets: the TLS client (full handshake per new connection) and the name sent as
    /// SNI and checked against the certificate.
    var tls: TLSClientContext? = nil
    var serverName = ""
}

/// Why a transport error happened, from an errno of a failed connect or a failed connection.
enum TransportErrorClassifier {
    /// `connecting` tells a failed connect from a failure of an established connection.
    static func kind(errno code: Int32, connecting: Bool) -> TransportErrorKind {
        switch code {
        case ECONNREFUSED: return .connectRefused
        case ETIMEDOUT: return connecting ? .connectTimeout : .responseTimeout
        case ECONNRESET, EPIPE, ECONNABORTED: return .connectionReset
        case EPROTO: return .tls   // a TLS stream transform failed (see `StreamTransformRead.failed`)
        default: return .other
        }
    }
}
