extension IssuerCore {
    /// `GET /oauth/authorize` (RFC 6749 §4.1.1 + RFC 7636): auto-approves the development user.
    ///
    /// Security invariant: until both `client_id` and an exactly registered `redirect_uri` are
    /// established, errors are a 400 plain-text page and never a redirect (RFC 6749 §4.1.2.1),
    /// so the endpoint can't be used as an open redirector. After that, errors go back to the
    /// redirect URI with `error`, `error_description` and the caller's `state`.
    mutating func authorize(_ request: DevRequest, now: Int64) -> DevResponse {
        guard let parameters = try? OAuthParameters.query(request) else {
            return .text(400, "Invalid authorization request: the query string is malformed.\n")
        }
        if let repeated = parameters.repeated, repeated == "client_id" || repeated == "redirect_uri" {
            return .text(400, "Invalid authorization request: \(repeated) was included more than once.\n")
        }
        guard let clientID = parameters["client_id"], let client = configuration.client(clientID) else {
            return .text(400, "Invalid authorization request: unknown or missing client_id.\n")
        }
        guard let redirectURI = parameters["redirect_uri"], client.redirectURIs.contains(redirectURI) else {
            return .text(400, "Invalid authorization request: redirect_uri is missing or not registered for this client.\n")
        }
        let state = parameters["state"]
        do {
            let code = try issueAuthorizationCode(client: client, redirectURI: redirectURI, parameters, now: now)
            var pairs = [("code", code)]
            if let state { pairs.append(("state", state)) }
            pairs.append(("iss", configuration.issuer))
            return .redirect(FormEncoding.appendingQuery(redirectURI, pairs))
        } catch let error as OAuthError {
            var pairs = [("error", error.code.rawValue), ("error_description", error.description)]
            if let state { pairs.append(("state", state)) }
            pairs.append(("iss", configuration.issuer))
            return .redirect(FormEncoding.appendingQuery(redirectURI, pairs))
        } catch {
            return .text(500, "The authorization request could not be processed.\n")
        }
    }

    /// Checks the rest of the request and stores a single-use code bound to the client, the
    /// redirect URI, the scopes and the PKCE challenge.
    private mutating func issueAuthorizationCode(client: DevClient, redirectURI: String,
                                                 _ parameters: OAuthParameters, now: Int64) throws -> String {
        try parameters.requireNoRepeats()
        guard let responseType = parameters["response_type"] else {
            throw OAuthError(.invalidRequest, "The response_type parameter is required.")
        }
        guard responseType == "code" else {
            throw OAuthError(.unsupportedResponseType, "Only response_type=code is supported.")
        }
        guard client.allows(.authorizationCode) else {
            throw OAuthError(.unauthorizedClient, "The client is not authorized to use the authorization code flow.")
        }
        guard let challenge = parameters["code_challenge"] else {
            throw OAuthError(.invalidRequest, "PKCE is required: send code_challenge with code_challenge_method=S256.")
        }
        guard parameters["code_challenge_method"] == "S256" else {
            throw OAuthError(.invalidRequest, "Only code_challenge_method=S256 is supported.")
        }
        guard PKCE.isValidChallenge(challenge) else {
            throw OAuthError(.invalidRequest, "The code_challenge is malformed.")
        }
        let scopes = try Self.resolveScopes(parameters["scope"], allowed: client.scopes)
        let code = Self.randomToken()
        codes[Self.digest(code)] = AuthorizationCodeGrant(
            clientID: client.id, redirectURI: redirectURI, scopes: scopes, subject: configuration.user.sub,
            codeChallenge: challenge, expiresAt: now + configuration.codeTTL)
        return code
    }

    /// The authorization-code grant (RFC 6749 §4.1.3 + RFC 7636 §4.6).
    ///
    /// Security invariants: a code is single-use — the first redemption attempt by its client
    /// consumes it whatever the outcome, and any later attempt revokes every token issued from
    /// it (RFC 6749 §4.1.2); it is bound to its client and exact redirect URI; it lives
    /// `codeTTL` seconds; the verifier must hash to the stored S256 challenge.
    mutating func redeemAuthorizationCode(_ client: DevClient, _ parameters: OAuthParameters,
                                          now: Int64) throws -> DevResponse {
        guard let code = parameters["code"] else { throw OAuthError(.invalidRequest, "The code parameter is required.") }
        guard let redirectURI = parameters["redirect_uri"] else {
            throw OAuthError(.invalidRequest, "The redirect_uri parameter is required.")
        }
        guard let verifier = parameters["code_verifier"] else {
            throw OAuthError(.invalidRequest, "The code_verifier parameter is required (PKCE).")
        }
        guard PKCE.isValidVerifier(verifier) else {
            throw OAuthError(.invalidRequest, "The code_verifier is malformed.")
        }
        let key = Self.digest(code)
        guard var grant = codes[key], grant.clientID == client.id else {
            throw OAuthError(.invalidGrant, "The authorization code is invalid.")
        }
        if grant.redeemed {
            if let familyID = grant.familyID { revokeFamily(familyID) }
            throw OAuthError(.invalidGrant, "The authorization code was already used; tokens issued from it are revoked.")
        }
        guard now < grant.expiresAt else {
            throw OAuthError(.invalidGrant, "The authorization code has expired. Please restart the authorization flow.")
        }
        grant.redeemed = true
        codes[key] = grant
        guard grant.redirectURI == redirectURI else {
            throw OAuthError(.invalidGrant, "The redirect_uri does not match the authorization request.")
        }
        guard PKCE.verifies(verifier, challenge: grant.codeChallenge) else {
            throw OAuthError(.invalidGrant, "The code_verifier does not match the code_challenge.")
        }
        let familyID = startFamily(client: client, subject: grant.subject, scopes: grant.scopes)
        codes[key]?.familyID = familyID
        return try issueTokens(client: client, subject: grant.subject, scopes: grant.scopes, familyID: familyID, now: now)
    }
}
