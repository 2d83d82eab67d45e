extension IssuerCore {
    /// The refresh-token grant (RFC 6749 §6) with rotation (OAuth 2.0 Security BCP §4.14.2).
    ///
    /// Security invariants: a refresh token works once — using it rotates it; presenting a
    /// rotated token again is treated as theft and revokes the whole family (all refresh tokens
    /// and the access tokens issued in it); it is bound to its client; a narrower `scope` may be
    /// requested, never a wider one.
    mutating func redeemRefreshToken(_ client: DevClient, _ parameters: OAuthParameters,
                                     now: Int64) throws -> DevResponse {
        guard let token = parameters["refresh_token"] else {
            throw OAuthError(.invalidRequest, "The refresh_token parameter is required.")
        }
        let key = Self.digest(token)
        guard var record = refreshTokens[key], let family = families[record.familyID],
              family.clientID == client.id else {
            throw OAuthError(.invalidGrant, "The refresh token is invalid.")
        }
        guard !family.revoked else { throw OAuthError(.invalidGrant, "The refresh token has been revoked.") }
        if record.rotated {
            revokeFamily(record.familyID)
            throw OAuthError(.invalidGrant, "The refresh token was already used; its token family is revoked.")
        }
        guard now < record.expiresAt else { throw OAuthError(.invalidGrant, "The refresh token has expired.") }
        let scopes = try Self.resolveScopes(parameters["scope"], allowed: family.scopes)
        record.rotated = true
        refreshTokens[key] = record
        return try issueTokens(client: client, subject: family.subject, scopes: scopes,
                               familyID: record.familyID, now: now)
    }
}
