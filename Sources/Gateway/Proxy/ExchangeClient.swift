import IO
import HTTP1

/// What a `ProxyExchange` needs from the client connection it serves, and nothing more: the
/// client's stream and request parser (the body is parsed where the head was), the request's
/// identity for the upstream head, the loop and settings, the notes for metrics and the access log,
/// and the three ways an exchange ends. The exchange never reaches further into the connection;
/// which connection state follows (keep-alive, lingering close, a local error) is the connection's
/// decision alone.
///
/// `ProxyExchange` is generic over its client rather than holding an existential: calls are direct
/// and specialized, nothing is boxed, and tests can drive an exchange with a client of their own.
protocol ExchangeClient: AnyObject {
    /// The client's connection: the request body is read from it, the response written to it.
    var stream: TCPStream { get }
    /// The connection's request parser, positioned after the head of the request being forwarded
    /// (the exchange parses the body with it, so the next pipelined head is found where it starts).
    var parser: RequestParser { get set }
    /// The configuration the current request runs under.
    var settings: ProxySettings { get }
    /// The client's loop; the upstream connection lives on it too (no queue hops).
    var loop: EventLoop { get }
    /// The gateway is draining: the response ends the client connection.
    var isDraining: Bool { get }
    /// The client's address (`X-Forwarded-For`, `X-Real-IP`).
    var peer: String { get }
    /// The id of the request being forwarded (sent upstream and in the response).
    var requestID: [UInt8] { get }
    /// The request's W3C trace context (sent upstream).
    var requestTrace: TraceParent { get }
    /// The client connection is HTTPS (`X-Forwarded-Proto`).
    var isTLS: Bool { get }

    /// Request bytes (body) consumed from the client, for the access log.
    func noteBytesIn(_ count: Int)
    /// Response bytes handed to the client's socket, for the access log.
    func noteBytesOut(_ count: Int)
    /// The upstream's response head was relayed to the client with `status`.
    func noteUpstreamStatus(_ status: Int)
    /// One attempt failed with `code` (`upstream_connect_failed`, `upstream_reset`) and the request
    /// goes to another connection: `portcullis_upstream_errors_total` counts the failed attempt even
    /// when the retry succeeds.
    func noteRetriedAttempt(code: String)

    /// The response is complete. `keepAlive`: the client may send the next request on this
    /// connection. `requestBodyUnread`: the upstream answered before the whole body was forwarded.
    func exchangeDidFinish(keepAlive: Bool, requestBodyUnread: Bool)
    /// The exchange gave up before a response head reached the client: the client gets `response`.
    func exchangeFailed(_ response: LocalResponse, request: RequestSummary?)
    /// The exchange gave up after the client got a response head (or on a malformed request body
    /// it can no longer answer): the client connection must close. `code` names the cause in the
    /// access log and `portcullis_upstream_errors_total` (nil: the code noted so far stands).
    func exchangeAborted(code: String?)
}
