import HTTP1
import JOSE
import Policy
import Telemetry

/// The request pipeline's decision step: normalize the path → match a route → extract the bearer
/// token → verify it → decide on scopes → plan the upstream request with the caller's identity.
///
/// Invariants: a route that is not public is forwarded only with a token that passed every check;
/// identity headers a client sent are always removed (public routes too) before ours are added; the
/// upstream receives exactly the normalized path that was matched.
public final class PolicyAuthorizer: RequestAuthorizer {
    public let policy: AccessPolicy
    /// For each route, the index of its upstream in the gateway's upstream list.
    let upstreamIndex: [Int]
    let identityHeaderNames: [String]
    /// Per route: the client headers dropped before forwarding (identity headers, `Authorization` when
    /// the route does not forward it, the gateway's own), computed once.
    let dropByRoute: [FieldNameSet]
    /// Per route: its `strip_prefix` and its label (the path pattern), read without copying the route.
    let stripPrefixByRoute: [String?]
    let labelByRoute: [String]
    public let authenticator: TokenAuthenticator
    let metrics: Metrics
    let logger: Logger

    public init(policy: AccessPolicy, upstreamIndexByRoute: [Int], identityHeaders: [(header: String, claim: String)],
                authenticator: TokenAuthenticator, metrics: Metrics = Metrics(), logger: Logger = Logger(component: "auth")) {
        self.policy = policy
        self.upstreamIndex = upstreamIndexByRoute
        let identityHeaderNames = identityHeaders.map { $0.header.lowercased() }
        self.identityHeaderNames = identityHeaderNames
        dropByRoute = policy.routes.routes.map {
            ForwardPlan.dropSet(removing: identityHeaderNames + ($0.forwardAuthorization ? [] : ["authorization"]))
        }
        stripPrefixByRoute = policy.routes.routes.map(\.stripPrefix)
        labelByRoute = policy.routes.routes.map(\.path)
        self.authenticator = authenticator
        self.metrics = metrics
        self.logger = logger
    }

    public func authorize(_ request: ParsedRequest, peer: String,
                          completion: @escaping @Sendable (AuthorizationOutcome) -> Void) -> AuthorizationOutcome? {
        let normalized: NormalizedTarget
        do throws(PathRejection) { normalized = try PathNormalizer.normalize(request.head.target) }
        catch { return deny(ErrorResponse.badRequest(error), code: error.code.rawValue) }
        let routeIndex: Int
        switch policy.routes.match(method: request.head.method, path: normalized.path) {
        case .notFound: return deny(.notFound(), code: "route_not_found")
        case .methodNotAllowed(let allow): return deny(.methodNotAllowed(allow: allow), code: "method_not_allowed")
        case .matched(let index, _): routeIndex = index
        }
        let headers = request.head.headers
        // The token's b64token syntax is checked only if the token is rejected: one that verifies
        // (or hits the verified-token cache) is base64url and dots, so valid by construction.
        switch policy.credentialDeferringTokenSyntax(routeIndex: routeIndex, authorizationCount: headers.count("Authorization"),
                                                     firstAuthorization: { headers.first("Authorization") }) {
        case .publicRoute:
            return forward(routeIndex, normalized, caller: nil)
        case .deny(let denial):
            return deny(denial.response(realm: policy.realm), code: denial.code)
        case .verify(let token):
            let sync = authenticator.check(token, makeCompletion: {
                { [self] check in completion(self.decide(check, token: token, routeIndex: routeIndex, normalized: normalized)) }
            })
            return sync.map { decide($0, token: token, routeIndex: routeIndex, normalized: normalized) }
        }
    }

    /// Turns a token check into the final outcome for `routeIndex`. A rejected token that is not
    /// even a `b64token` is a malformed request (400), as `AuthorizationHeader.parse` would say.
    func decide(_ check: TokenCheck, token: Substring, routeIndex: Int, normalized: NormalizedTarget) -> AuthorizationOutcome {
        switch check {
        case .rejected(let rejection):
            if let malformed = policy.tokenSyntaxDenial(token) {
                return deny(malformed.response(realm: policy.realm), code: malformed.code)
            }
            let denial = Denial(.invalidToken(code: rejection.code.rawValue, description: rejection.description))
            return deny(denial.response(realm: policy.realm), code: denial.code)
        case .keysUnavailable(let retryAfter):
            return deny(.serviceUnavailable(retryAfterSeconds: max(1, retryAfter)), code: "keys_unavailable")
        case .verified(let caller):
            switch policy.decide(routeIndex: routeIndex, issuer: caller.token.issuer, grantedScopes: caller.token.scopes) {
            case .allow:
                return forward(routeIndex, normalized, caller: caller)
            case .deny(let denial):
                return deny(denial.response(realm: policy.realm), code: denial.code)
            }
        }
    }

    private func forward(_ routeIndex: Int, _ normalized: NormalizedTarget, caller: VerifiedCaller?) -> AuthorizationOutcome {
        // From per-route arrays: reading the route struct would copy (and retain) each of its fields.
        var target = RouteSpec.upstreamPath(for: normalized.path, strippingPrefix: stripPrefixByRoute[routeIndex])
        if let q = normalized.query { target += "?" + q }
        // The caller's identity header lines were serialized when its token was verified.
        return .forward(ForwardPlan(upstream: upstreamIndex[routeIndex], target: target, routeLabel: labelByRoute[routeIndex],
                                    dropHeaders: dropByRoute[routeIndex], identityFields: caller?.identityFields ?? []))
    }

    private func deny(_ response: ErrorResponse, code: String) -> AuthorizationOutcome {
        metrics.increment("portcullis_decisions_total", label: "code", value: code)
        var headers = HTTPHeaders()
        for (n, v) in response.headers { headers.append(n, v) }
        return .respond(LocalResponse(status: response.status, headers: headers, body: response.body, code: code))
    }
}
