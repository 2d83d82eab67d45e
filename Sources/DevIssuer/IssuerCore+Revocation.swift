extension IssuerCore {
    /// `POST /oauth/revoke` (RFC 7009): client-authenticated; 200 with an empty body whether or
    /// not the token was known (so the endpoint can't be used to probe tokens).
    ///
    /// A refresh token revokes its whole family; an access token is revoked by `jti`.
    /// A token belonging to another client is left alone.
    mutating func revoke(_ request: DevRequest, now: Int64) -> DevResponse {
        guard request.method == "POST" else { return .methodNotAllowed("POST") }
        do {
            let parameters = try OAuthParameters.body(request, allowJSON: false)
            let client = try authenticateClient(request, parameters)
            guard let token = parameters["token"] else {
                throw OAuthError(.invalidRequest, "The token parameter is required.")
            }
            if let record = refreshTokens[Self.digest(token)] {
                if families[record.familyID]?.clientID == client.id { revokeFamily(record.familyID) }
            } else if let access = verifyAccessToken(token, now: now), access.clientID == client.id {
                revokedAccessTokens[access.jti] = access.expiresAt
            }
            return DevResponse(status: 200, headers: [("Cache-Control", "no-store")])
        } catch let error as OAuthError {
            return error.response(realm: configuration.issuer)
        } catch {
            return OAuthError(.serverError, "The revocation failed.").response(realm: configuration.issuer)
        }
    }

    /// `POST /oauth/introspect` (RFC 7662): client-authenticated; `{"active": false}` for anything
    /// unknown, expired, revoked or not signed by this issuer, otherwise `active: true` with the
    /// token's claims. Refresh tokens are only described to the client they belong to.
    mutating func introspect(_ request: DevRequest, now: Int64) -> DevResponse {
        guard request.method == "POST" else { return .methodNotAllowed("POST") }
        do {
            let parameters = try OAuthParameters.body(request, allowJSON: false)
            let client = try authenticateClient(request, parameters)
            guard let token = parameters["token"] else {
                throw OAuthError(.invalidRequest, "The token parameter is required.")
            }
            if let access = verifyAccessToken(token, now: now) {
                var body: [String: Any] = ["active": true, "token_type": access.claims["cnf"] == nil ? "Bearer" : "DPoP"]
                for name in ["iss", "sub", "aud", "exp", "iat", "jti", "client_id", "scope", "cnf"] {
                    if let value = access.claims[name] { body[name] = value }
                }
                return .json(200, body)
            }
            if let record = refreshTokens[Self.digest(token)], let family = families[record.familyID],
               family.clientID == client.id, !family.revoked, !record.rotated, now < record.expiresAt {
                var body: [String: Any] = ["active": true, "token_type": "refresh_token", "client_id": family.clientID,
                                           "sub": family.subject, "exp": Int(record.expiresAt), "iss": configuration.issuer]
                if !family.scopes.isEmpty { body["scope"] = family.scopes.joined(separator: " ") }
                return .json(200, body)
            }
            return .json(200, ["active": false])
        } catch let error as OAuthError {
            return error.response(realm: configuration.issuer)
        } catch {
            return OAuthError(.serverError, "The introspection failed.").response(realm: configuration.issuer)
        }
    }
}
