import JOSE

/// What the authorizer learned about a request that metrics and the access log report: the matched
/// route, the normalized path, the trusted issuer involved and, once a token verified, the caller.
/// Carried by both outcomes (`ForwardPlan.facts`, `LocalResponse.facts`).
///
/// Security invariant: nothing here comes from an unverified token except through a trusted
/// issuer's configured name; `path` is the normalized path without its query.
public struct RequestFacts: Sendable {
    /// Index of the matched route, or -1 when none matched.
    public var route: Int
    /// The normalized path (no query), nil when the target did not normalize.
    public var path: String?
    /// The configured issuer that verified or refused the token; nil when none.
    public var issuer: String?
    /// The verified caller (access log `sub`, `client_id`).
    public var caller: VerifiedCaller?
    /// The answer refuses the request's credentials (400/401/403 on the token, 503 without keys):
    /// counted in `portcullis_auth_denials_total`.
    public var isAuthDenial = false

    /// Facts of a request nothing was learned about.
    public init(route: Int = -1, path: String? = nil, issuer: String? = nil, caller: VerifiedCaller? = nil) {
        self.route = route
        self.path = path
        self.issuer = issuer
        self.caller = caller
    }
}
