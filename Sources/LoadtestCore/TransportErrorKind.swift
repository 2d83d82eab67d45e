/// Why a request got no HTTP response. The raw value is the stable code used in reports and JSON.
public enum TransportErrorKind: String, CaseIterable, Sendable, Codable {
    /// The TCP connect was refused.
    case connectRefused = "connect_refused"
    /// The TCP connect did not complete in time.
    case connectTimeout = "connect_timeout"
    /// The peer reset the connection.
    case connectionReset = "connection_reset"
    /// The peer closed the connection before a complete response.
    case closedByPeer = "closed_by_peer"
    /// No complete response within the response timeout.
    case responseTimeout = "response_timeout"
    /// The response could not be parsed as HTTP/1.1.
    case invalidResponse = "invalid_response"
    /// Any other socket error.
    case other = "other"
    /// The TLS handshake or session failed (certificate not trusted, wrong name, protocol error).
    case tls = "tls"

    /// Position in `allCases`, for counter arrays.
    public var ordinal: Int {
        switch self {
        case .connectRefused: return 0
        case .connectTimeout: return 1
        case .connectionReset: return 2
        case .closedByPeer: return 3
        case .responseTimeout: return 4
        case .invalidResponse: return 5
        case .other: return 6
        case .tls: return 7
        }
    }
}
