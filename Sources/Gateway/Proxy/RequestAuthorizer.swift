import HTTP1

/// What to do with a request once its head is parsed: the seam between "request head parsed" and
/// "forward upstream" where routing and token checks happen.
public enum AuthorizationOutcome: Sendable {
    /// Forward upstream as planned.
    case forward(ForwardPlan)
    /// Answer locally (an error, a challenge, or a local service's answer); never reaches an upstream.
    case respond(LocalResponse)
}

/// How an authorized request goes upstream.
///
/// A final class, not a struct: the plan travels from the authorizer through the outcome to the
/// connection and its exchange, and a struct of a dozen references was copied on the way (each copy
/// a retain and a release per reference: 20 of each per request, counted with uprobes). Ownership
/// moves once: the authorizer builds the plan and never touches it again (it may do so on another
/// queue, before the completion hops to the loop); from then on only the connection's loop reads it
/// or sets its two variable fields.
public final class ForwardPlan: @unchecked Sendable {
    /// Index of the upstream in the gateway's upstream list.
    public let upstream: Int
    /// The path (and query) sent upstream: the normalized path that was matched, after `strip_prefix`.
    public let target: String
    /// The caller's identity header lines, already serialized (`VerifiedCaller.identityFields`),
    /// added after the client's fields (whose copies of them were dropped).
    public let identityFields: [UInt8]
    /// `tls.client_certificate_headers` of the configuration that made the plan (nil: none). The
    /// client connection turns it into `certificateFields` from its verified certificate.
    public let certificateHeaders: ClientCertificateHeaders?
    /// The connection's client certificate header lines, already serialized (empty without a
    /// verified certificate), added after `identityFields`; client copies were dropped.
    public var certificateFields: [UInt8] = []
    /// Route label for logs and metrics.
    public let routeLabel: String
    /// The matched route, normalized path and caller, for metrics and the access log.
    public var facts = RequestFacts()
    /// Every field dropped from the client's head besides the hop-by-hop ones: the plan's removals
    /// (client-sent identity headers, `Authorization` when not forwarded; lowercased), the fields the
    /// gateway sets itself (`gatewayOwned`) and `Expect` (answered by the gateway).
    public let dropHeaders: FieldNameSet
    /// CORS of the response (`nil`: the gateway does no CORS for this route; upstream fields pass).
    public let responseCORS: ResponseCORS?
    /// Fields the gateway adds to the upstream's response (a renewed `DPoP-Nonce`); the upstream's
    /// own fields of those names are dropped.
    public let responseFields: ResponseFields?

    /// A plan that removes the client's `removeHeaders`; pass `dropHeaders` instead when it is
    /// precomputed (`ForwardPlan.dropSet(removing:)`, once per route).
    public init(upstream: Int, target: String, removeHeaders: [String] = [], routeLabel: String = "",
                dropHeaders: FieldNameSet? = nil, identityFields: [UInt8] = [],
                certificateHeaders: ClientCertificateHeaders? = nil, facts: RequestFacts = RequestFacts(),
                responseCORS: ResponseCORS? = nil, responseFields: ResponseFields? = nil) {
        self.upstream = upstream
        self.target = target
        self.identityFields = identityFields
        self.routeLabel = routeLabel
        self.dropHeaders = dropHeaders ?? Self.dropSet(removing: removeHeaders)
        self.certificateHeaders = certificateHeaders
        self.facts = facts
        self.responseCORS = responseCORS
        self.responseFields = responseFields
    }

    /// Headers the gateway sets itself; a client-sent copy (or underscore alias) is never forwarded.
    /// (`traceparent`/`tracestate` are written again from the request's trace context.)
    public static let gatewayOwned = ["x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-request-id",
                                      "traceparent", "tracestate"]

    /// Never forwarded: `Expect` (answered by the gateway) and `Proxy-Authorization`, which is
    /// meant for this proxy (RFC 9110 §11.7.2), not for the origin behind it.
    public static let neverForwarded = ["expect", "proxy-authorization"]

    /// The `dropHeaders` of a plan that removes `names`.
    public static func dropSet(removing names: [String]) -> FieldNameSet {
        FieldNameSet(names + gatewayOwned + neverForwarded)
    }

    /// Fields the gateway interprets or sets whose underscore spelling is never forwarded, even
    /// when the field itself is: framing (`Content-Length`, `Transfer-Encoding`), connection
    /// management, `Proxy-Authorization` and forwarding metadata. Only names with a `-` have an
    /// underscore spelling (`Host`, `Authorization`, `DPoP` have none); the plan's own drops
    /// (identity headers, `gatewayOwned`) are alias-checked already.
    public static let underscoreGuarded = FieldNameSet([
        "content-length", "transfer-encoding", "keep-alive", "proxy-connection", "proxy-authorization",
        "x-forwarded-port", "x-forwarded-prefix", "x-real-ip",
    ])
}

/// Decides each request. Implementations are shared by all loops, so they must be thread-safe.
/// `authorize` runs on the connection's loop and should finish there (the common case: a verified-token
/// cache hit or a signature check); only when it must wait for something (a JWKS refresh for an unknown
/// `kid`) does it return `nil` and call `completion` later, from any queue.
public protocol RequestAuthorizer: Sendable {
    /// `clientCertificateThumbprint`: base64url SHA-256 of the DER of the connection's verified
    /// client certificate (RFC 8705 `x5t#S256`), nil without one (plain HTTP, no certificate).
    func authorize(_ request: ParsedRequest, peer: String, clientCertificateThumbprint: String?,
                   completion: @escaping @Sendable (AuthorizationOutcome) -> Void) -> AuthorizationOutcome?
}

extension RequestAuthorizer {
    /// `authorize` for a connection without a client certificate.
    public func authorize(_ request: ParsedRequest, peer: String, completion: @escaping @Sendable (AuthorizationOutcome) -> Void) -> AuthorizationOutcome? {
        authorize(request, peer: peer, clientCertificateThumbprint: nil, completion: completion)
    }
}

/// Forwards every request to upstream 0 unchanged (tests of the proxy core).
public struct ForwardAllAuthorizer: RequestAuthorizer {
    public init() {}
    public func authorize(_ request: ParsedRequest, peer: String, clientCertificateThumbprint: String?,
                          completion: @escaping @Sendable (AuthorizationOutcome) -> Void) -> AuthorizationOutcome? {
        .forward(ForwardPlan(upstream: 0, target: request.head.target))
    }
}
