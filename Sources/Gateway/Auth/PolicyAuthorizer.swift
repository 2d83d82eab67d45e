import Config
import HTTP1
import JOSE
import Policy
import Telemetry

/// The request pipeline's decision step: normalize the path → match a route → extract the bearer
/// token → verify it → decide on scopes → plan the upstream request with the caller's identity.
///
/// Invariants: a route that is not public is forwarded only with a token that passed every check;
/// identity and client certificate headers a client sent are always removed (public routes too)
/// before ours are added; the upstream receives exactly the normalized path that was matched.
public final class PolicyAuthorizer: RequestAuthorizer {
    public let policy: AccessPolicy
    /// For each route, the index of its upstream in the gateway's upstream list.
    let upstreamIndex: [Int]
    let identityHeaderNames: [String]
    /// `tls.client_certificate_headers` (nil: none): handed to every plan; the connection fills in
    /// the values from its verified certificate.
    let certificateHeaders: ClientCertificateHeaders?
    /// Per route: the client headers dropped before forwarding (identity headers, `Authorization` when
    /// the route does not forward it, the gateway's own), computed once.
    let dropByRoute: [FieldNameSet]
    /// Per route: its `strip_prefix` and its label (the path pattern), read without copying the route.
    let stripPrefixByRoute: [String?]
    let labelByRoute: [String]
    public let authenticator: TokenAuthenticator
    /// DPoP (RFC 9449): proofs for bound tokens, `"dpop": "required"` issuers.
    let dpop: DPoPGuard
    /// Per route: whether it accepts an issuer with `"dpop": "required"` (its 401s carry the DPoP challenge).
    let dpopRoutes: [Bool]
    let metrics: Metrics
    let logger: Logger

    public init(policy: AccessPolicy, upstreamIndexByRoute: [Int], identityHeaders: [(header: String, claim: String)],
                authenticator: TokenAuthenticator, dpop: DPoPSettings = DPoPSettings(), dpopRequiredIssuers: Set<String> = [],
                requestScheme: String = "http", certificateHeaders: ClientCertificateHeaders? = nil, metrics: Metrics = Metrics(),
                logger: Logger = Logger(component: "auth")) throws {
        self.policy = policy
        self.upstreamIndex = upstreamIndexByRoute
        let identityHeaderNames = identityHeaders.map { $0.header.lowercased() }
        self.identityHeaderNames = identityHeaderNames
        self.certificateHeaders = certificateHeaders
        // Client certificate header names are dropped on every route, with or without a certificate.
        let gatewaySet = identityHeaderNames + (certificateHeaders?.names ?? [])
        dropByRoute = policy.routes.routes.map {
            ForwardPlan.dropSet(removing: gatewaySet + ($0.forwardAuthorization ? [] : ["authorization"]))
        }
        stripPrefixByRoute = policy.routes.routes.map(\.stripPrefix)
        labelByRoute = policy.routes.routes.map(\.path)
        self.authenticator = authenticator
        self.dpop = try DPoPGuard(settings: dpop, requiredIssuers: dpopRequiredIssuers, requestScheme: requestScheme, realm: policy.realm)
        dpopRoutes = policy.routes.routes.map { route in
            !route.isPublic && !dpopRequiredIssuers.isEmpty && (route.issuers.map { !dpopRequiredIssuers.isDisjoint(with: $0) } ?? true)
        }
        self.metrics = metrics
        self.logger = logger
    }

    public func authorize(_ request: ParsedRequest, peer: String, clientCertificateThumbprint: String?,
                          completion: @escaping @Sendable (AuthorizationOutcome) -> Void) -> AuthorizationOutcome? {
        let headers = request.head.headers
        // Read only when `cors` is configured: without it the hot path does not look for `Origin`.
        let origin = policy.cors == nil ? nil : headers.first("Origin")
        let normalized: NormalizedTarget
        do throws(PathRejection) { normalized = try PathNormalizer.normalize(request.head.target) }
        catch { return deny(ErrorResponse.badRequest(error), code: error.code.rawValue, cors: policy.corsFields(routeIndex: nil, origin: origin), RequestFacts()) }
        if origin != nil && request.head.method == "OPTIONS",
           let answer = preflight(normalized, origin: origin, requestMethod: headers.first("Access-Control-Request-Method")) {
            return answer
        }
        let routeIndex: Int
        switch policy.routes.match(method: request.head.method, path: normalized.path) {
        case .notFound:
            return deny(.notFound(), code: "route_not_found", cors: policy.corsFields(routeIndex: nil, origin: origin), RequestFacts(path: normalized.path))
        case .methodNotAllowed(let allow):
            return deny(.methodNotAllowed(allow: allow), code: "method_not_allowed", cors: policy.corsFields(routeIndex: nil, origin: origin),
                        RequestFacts(path: normalized.path))
        case .matched(let index, _): routeIndex = index
        }
        let cors = origin == nil ? [] : policy.corsFields(routeIndex: routeIndex, origin: origin)
        // The token's b64token syntax is checked only if the token is rejected: one that verifies
        // (or hits the verified-token cache) is base64url and dots, so valid by construction.
        switch policy.credentialDeferringTokenSyntax(routeIndex: routeIndex, authorizationCount: headers.count("Authorization"),
                                                     firstAuthorization: { headers.first("Authorization") }) {
        case .publicRoute:
            return forward(routeIndex, normalized, caller: nil, cors: cors)
        case .deny(let denial):
            return deny(withDPoPChallenge(denial.response(realm: policy.realm), routeIndex: routeIndex), code: denial.code, cors: cors,
                        routeFacts(routeIndex, normalized))
        case .verify(let token):
            let sync = authenticator.check(token, acceptedIssuers: policy.acceptedIssuers(routeIndex: routeIndex), makeCompletion: {
                { [self] check in completion(self.decide(check, token: token, routeIndex: routeIndex, normalized: normalized, cors: cors,
                                                         clientCertificateThumbprint: clientCertificateThumbprint)) }
            })
            return sync.map { decide($0, token: token, routeIndex: routeIndex, normalized: normalized, cors: cors,
                                     clientCertificateThumbprint: clientCertificateThumbprint) }
        case .verifyDPoP(let token):
            // What the proof must match is read now: the head is not kept while the check waits.
            let context = dpop.context(for: request.head)
            let sync = authenticator.check(token, acceptedIssuers: policy.acceptedIssuers(routeIndex: routeIndex), makeCompletion: {
                { [self] check in completion(self.decide(check, token: token, routeIndex: routeIndex, normalized: normalized, cors: cors,
                                                         clientCertificateThumbprint: clientCertificateThumbprint, dpop: context)) }
            })
            return sync.map { decide($0, token: token, routeIndex: routeIndex, normalized: normalized, cors: cors,
                                     clientCertificateThumbprint: clientCertificateThumbprint, dpop: context) }
        }
    }

    /// A true CORS preflight the gateway answers itself (204 with the `Access-Control-Allow-*`
    /// fields, or 403 without any), never forwarded and needing no token; `nil` when the request
    /// is not such a preflight and goes through the policy.
    private func preflight(_ normalized: NormalizedTarget, origin: String?, requestMethod: String?) -> AuthorizationOutcome? {
        switch policy.preflight(path: normalized.path, origin: origin, requestMethod: requestMethod) {
        case .notPreflight:
            return nil
        case .answer(let fields):
            var headers = HTTPHeaders()
            for f in fields { headers.append(f.name, f.value) }
            var answer = LocalResponse(status: 204, headers: headers, code: "cors_preflight")
            answer.facts = RequestFacts(path: normalized.path)
            return .respond(answer)
        case .refuse(let code, let description):
            return deny(ErrorResponse(status: 403, error: "cors_preflight_rejected", description: description), code: code, cors: [],
                        RequestFacts(path: normalized.path))
        }
    }

    /// Turns a token check into the final outcome for `routeIndex`. A rejected token that is not
    /// even a `b64token` is a malformed request (400), as `AuthorizationHeader.parse` would say.
    ///
    /// `dpop` is the request's DPoP context when it used the `DPoP` scheme: the proof is checked on
    /// every request, after the token (a verified-token cache hit included), before the scopes.
    func decide(_ check: TokenCheck, token: Substring, routeIndex: Int, normalized: NormalizedTarget, cors: [CORSField] = [],
                clientCertificateThumbprint: String? = nil, dpop context: DPoPRequestContext? = nil) -> AuthorizationOutcome {
        switch check {
        case .rejected(let rejection):
            if let malformed = policy.tokenSyntaxDenial(token) {
                return deny(malformed.response(realm: policy.realm), code: malformed.code, cors: cors, routeFacts(routeIndex, normalized))
            }
            if context != nil {
                let denial = dpop.rejectedToken(description: rejection.description, code: rejection.code.rawValue)
                return deny(denial.response, code: denial.code, cors: cors, routeFacts(routeIndex, normalized, issuer: rejection.issuer))
            }
            let denial = Denial(.invalidToken(code: rejection.code.rawValue, description: rejection.description))
            return deny(withDPoPChallenge(denial.response(realm: policy.realm), routeIndex: routeIndex), code: denial.code, cors: cors,
                        routeFacts(routeIndex, normalized, issuer: rejection.issuer))
        case .keysUnavailable(let retryAfter):
            return deny(.serviceUnavailable(retryAfterSeconds: max(1, retryAfter)), code: "keys_unavailable", cors: cors,
                        routeFacts(routeIndex, normalized))
        case .introspectionUnavailable(let retryAfter):
            return deny(.serviceUnavailable(retryAfterSeconds: max(1, retryAfter), "token introspection unavailable"),
                        code: "introspection_unavailable", cors: cors, routeFacts(routeIndex, normalized))
        case .verified(let caller):
            // Checked on every request, cache hits included: the binding is to the connection, not the token.
            if let failure = caller.certificateBinding.rejection(connectionThumbprint: clientCertificateThumbprint) {
                let denial = Denial(.invalidToken(code: failure.rawValue, description: "token is bound to a client certificate"))
                return deny(denial.response(realm: policy.realm), code: denial.code, cors: cors, routeFacts(routeIndex, normalized))
            }
            var renewedNonce: String?
            if context != nil || caller.dpopThumbprint != nil || !dpop.requiredIssuers.isEmpty {
                switch dpop.check(caller, token: token, context: context, now: authenticator.clock.unixSeconds()) {
                case .deny(let denial):
                    return deny(denial.response, code: denial.code, cors: cors,
                                routeFacts(routeIndex, normalized, issuer: caller.token.issuer, caller: caller))
                case .pass(let nonce): renewedNonce = nonce
                }
            }
            switch policy.decide(routeIndex: routeIndex, issuer: caller.token.issuer, grantedScopes: caller.token.scopes) {
            case .allow:
                return forward(routeIndex, normalized, caller: caller, cors: cors, renewedNonce: renewedNonce)
            case .deny(let denial):
                return deny(denial.response(realm: policy.realm), code: denial.code, cors: cors,
                            routeFacts(routeIndex, normalized, issuer: caller.token.issuer, caller: caller))
            }
        }
    }

    /// A 401 on a route that accepts an issuer with `"dpop": "required"` also names the DPoP scheme
    /// (RFC 9449 §7.1: a second `WWW-Authenticate` challenge with the accepted proof algorithms).
    private func withDPoPChallenge(_ response: ErrorResponse, routeIndex: Int) -> ErrorResponse {
        guard response.status == 401, dpopRoutes[routeIndex] else { return response }
        var response = response
        response.headers.append(("WWW-Authenticate", DPoPChallenge(algorithms: dpop.verifier.algorithmsText).headerValue))
        return response
    }

    private func forward(_ routeIndex: Int, _ normalized: NormalizedTarget, caller: VerifiedCaller?, cors: [CORSField],
                         renewedNonce: String? = nil) -> AuthorizationOutcome {
        // From per-route arrays: reading the route struct would copy (and retain) each of its fields.
        var target = RouteSpec.upstreamPath(for: normalized.path, strippingPrefix: stripPrefixByRoute[routeIndex])
        if let q = normalized.query { target += "?" + q }
        // The caller's identity header lines were serialized when its token was verified.
        let corsApplies = policy.cors != nil && policy.corsApplies(routeIndex: routeIndex)
        let plan = ForwardPlan(
            upstream: upstreamIndex[routeIndex], target: target, routeLabel: labelByRoute[routeIndex],
            dropHeaders: dropByRoute[routeIndex], identityFields: caller?.identityFields ?? [],
            certificateHeaders: certificateHeaders,
            facts: RequestFacts(route: routeIndex, path: normalized.path, issuer: caller?.token.issuer, caller: caller),
            responseCORS: corsApplies ? ResponseCORS(fields: cors) : nil,
            responseFields: renewedNonce.map { ResponseFields([("DPoP-Nonce", $0)]) })
        return .forward(plan)
    }

    /// Facts of a denial of the token on `routeIndex`.
    private func routeFacts(_ routeIndex: Int, _ normalized: NormalizedTarget, issuer: String? = nil,
                            caller: VerifiedCaller? = nil) -> RequestFacts {
        var facts = RequestFacts(route: routeIndex, path: normalized.path, issuer: issuer, caller: caller)
        facts.isAuthDenial = true
        return facts
    }

    /// A local answer: `cors` (the allowed origin's fields) is added to the gateway's own errors
    /// too, so a browser app can read why it was refused. Counting it (`portcullis_requests_total`,
    /// `portcullis_auth_denials_total`) is the connection's job, on its own loop: no process-wide
    /// counter is touched per request here.
    private func deny(_ response: ErrorResponse, code: String, cors: [CORSField], _ facts: RequestFacts) -> AuthorizationOutcome {
        var headers = HTTPHeaders()
        for (n, v) in response.headers { headers.append(n, v) }
        for f in cors { headers.append(f.name, f.value) }
        var answer = LocalResponse(status: response.status, headers: headers, body: response.body, code: code)
        answer.facts = facts
        return .respond(answer)
    }
}
