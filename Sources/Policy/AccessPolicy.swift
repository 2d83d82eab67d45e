/// The per-request authorization steps around token verification, from one compiled configuration:
/// `route(...)` -> `credential(...)` -> (the gateway verifies the token) -> `decide(...)`.
public struct AccessPolicy: Sendable {
    /// Compiled routes.
    public let routes: RouteTable
    /// Scope rules.
    public let scopes: ScopePolicy
    /// `realm` of every challenge.
    public let realm: String
    /// Per-route compiled scope requirements, parallel to `routes.routes`.
    public let requirements: [ScopeRequirement]
    /// CORS for browser apps (`cors`); `nil` = the gateway does no CORS at all.
    public let cors: CORSPolicy?
    /// Per route: whether `cors` applies (`false` for routes with `"cors": false`).
    let corsByRoute: [Bool]
    private let descriptions: [String]
    private let isPublic: [Bool]
    private let issuers: [[String]?]

    /// Creates a policy, compiling every route's scope requirement once.
    public init(routes: RouteTable, scopes: ScopePolicy, realm: String = "portcullis", cors: CORSPolicy? = nil) {
        let specs = routes.routes
        var requirements: [ScopeRequirement] = []
        var descriptions: [String] = []
        var isPublic: [Bool] = []
        var issuers: [[String]?] = []
        for spec in specs {
            requirements.append(scopes.requirement(for: spec))
            descriptions.append(ScopePolicy.requirementDescription(spec))
            isPublic.append(spec.isPublic)
            issuers.append(spec.issuers)
        }
        self.routes = routes
        self.scopes = scopes
        self.realm = realm
        self.requirements = requirements
        self.descriptions = descriptions
        self.isPublic = isPublic
        self.issuers = issuers
        self.cors = cors
        corsByRoute = specs.map(\.cors)
    }

    /// What the gateway does next with a matched route's credentials.
    public enum CredentialStep: Sendable, Equatable {
        /// Public route: forward without looking at any token.
        case publicRoute
        /// Verify this token (a slice of the header value), then call ``AccessPolicy/decide(routeIndex:issuer:grantedScopes:)``.
        case verify(token: Substring)
        /// Verify this DPoP-scheme token, then its `DPoP` proof (RFC 9449), then decide.
        case verifyDPoP(token: Substring)
        /// Answer with the denial; never forward.
        case deny(Denial)
    }

    /// Inspects the request's `Authorization` field values for route `routeIndex`.
    /// Invariant: a non-public route never yields anything but `verify` or `deny` (fail closed).
    public func credential(routeIndex: Int, authorization: @autoclosure () -> [String]) -> CredentialStep {
        if isPublic[routeIndex] { return .publicRoute }
        return step(for: AuthorizationHeader.parse(values: authorization()))
    }

    /// `credential(routeIndex:authorization:)` for the request path: only the number of
    /// `Authorization` fields and, when there is exactly one, its value (no array per request).
    ///
    /// The token's `b64token` characters are NOT checked here (see
    /// `AuthorizationHeader.parseDeferringTokenSyntax`): a token the verifier accepts is valid by
    /// construction; before rejecting one, the caller asks `tokenSyntaxDenial(_:)`.
    public func credentialDeferringTokenSyntax(routeIndex: Int, authorizationCount: Int, firstAuthorization: () -> String?) -> CredentialStep {
        if isPublic[routeIndex] { return .publicRoute }
        switch authorizationCount {
        case 0: return step(for: .missing)
        case 1: return step(for: AuthorizationHeader.parseDeferringTokenSyntax(value: firstAuthorization() ?? ""))
        default: return step(for: .malformed(.multipleFields))
        }
    }

    /// The 400 for a token from `credentialDeferringTokenSyntax` that is not a `b64token`, else nil.
    public func tokenSyntaxDenial(_ token: Substring) -> Denial? {
        AuthorizationHeader.isB64Token(token) ? nil : Denial(.malformedAuthorization(.invalidToken))
    }

    private func step(for credential: AuthorizationHeader.Credential) -> CredentialStep {
        switch credential {
        case .missing: return .deny(Denial(.tokenMissing))
        case .otherScheme: return .deny(Denial(.unsupportedScheme))
        case .malformed(let malformation): return .deny(Denial(.malformedAuthorization(malformation)))
        case .bearer(let token): return .verify(token: token)
        case .dpop(let token): return .verifyDPoP(token: token)
        }
    }

    /// The route's `issuers` (`nil` = every trusted issuer).
    public func acceptedIssuers(routeIndex: Int) -> [String]? { issuers[routeIndex] }

    /// Decides for a verified token from `issuer` with `grantedScopes` on route `routeIndex`:
    /// the route's issuer restriction first, then its scope requirement.
    public func decide(routeIndex: Int, issuer: String, grantedScopes: [String]) -> Decision {
        if isPublic[routeIndex] { return .allow }
        if let issuers = issuers[routeIndex], !issuers.contains(issuer) {
            return .deny(Denial(.issuerNotAllowed))
        }
        switch requirements[routeIndex].decide(grantedScopes: grantedScopes) {
        case .allow:
            return .allow
        case .insufficientScope(let required):
            return .deny(Denial(.insufficientScope(required: required, description: descriptions[routeIndex])))
        }
    }
}
