extension IssuerCore {
    /// `GET`/`POST /oauth/userinfo`: a Bearer access token signed by this issuer (RFC 6750 §2.1)
    /// → `sub`, plus `name` and `email` when the subject is the development user.
    ///
    /// No credentials → 401 `WWW-Authenticate: Bearer realm=...` without an error code
    /// (RFC 6750 §3.1); a bad, expired or revoked token → 401 with `error="invalid_token"`.
    func userInfo(_ request: DevRequest, now: Int64) -> DevResponse {
        guard request.method == "GET" || request.method == "POST" else { return .methodNotAllowed("GET, POST") }
        let realm = "Bearer realm=\"\(configuration.issuer)\""
        let authorizations = request.headerValues("Authorization")
        guard authorizations.count == 1 else {
            if authorizations.isEmpty { return .json(401, [:], extraHeaders: [("WWW-Authenticate", realm)]) }
            return .json(400, ["error": "invalid_request", "error_description": "Send exactly one Authorization header."],
                         extraHeaders: [("WWW-Authenticate", realm + ", error=\"invalid_request\"")])
        }
        let header = authorizations[0]
        guard header.count > 7, header.prefix(7).lowercased() == "bearer ",
              let token = verifyAccessToken(header.dropFirst(7).trimmingSpaces, now: now) else {
            return .json(401, ["error": "invalid_token", "error_description": "The access token is invalid or has expired."],
                         extraHeaders: [("WWW-Authenticate", realm + ", error=\"invalid_token\"")])
        }
        var body: [String: Any] = ["sub": token.subject]
        if token.subject == configuration.user.sub {
            body["name"] = configuration.user.name
            body["email"] = configuration.user.email
        }
        return .json(200, body)
    }
}
