import JOSE

extension IssuerCore {
    /// `POST /oauth/token` (RFC 6749 §3.2): form or JSON body, client authentication, then the grant.
    ///
    /// Order of checks: body → client authentication (`invalid_client`) → `grant_type` present
    /// (`invalid_request`) → known (`unsupported_grant_type`) → allowed for the client
    /// (`unauthorized_client`) → the grant's own parameters.
    mutating func tokenEndpoint(_ request: DevRequest, now: Int64) -> DevResponse {
        guard request.method == "POST" else { return .methodNotAllowed("POST") }
        do {
            let parameters = try OAuthParameters.body(request, allowJSON: true)
            let client = try authenticateClient(request, parameters)
            requestDPoPThumbprint = try dpopThumbprint(request, now: now)
            defer { requestDPoPThumbprint = nil }
            guard let grantName = parameters["grant_type"] else {
                throw OAuthError(.invalidRequest, "The grant_type parameter is required.")
            }
            guard let grant = GrantType(rawValue: grantName) else {
                throw OAuthError(.unsupportedGrantType, "The grant type is not supported.")
            }
            guard client.allows(grant) else {
                throw OAuthError(.unauthorizedClient, "The client is not authorized to use this grant type.")
            }
            switch grant {
            case .clientCredentials:
                return try clientCredentials(client, parameters, now: now)
            case .authorizationCode:
                return try redeemAuthorizationCode(client, parameters, now: now)
            case .refreshToken:
                return try redeemRefreshToken(client, parameters, now: now)
            case .deviceCode:
                return try redeemDeviceCode(client, parameters, now: now)
            }
        } catch let error as OAuthError {
            return error.response(realm: configuration.issuer)
        } catch {
            return OAuthError(.serverError, "The token could not be issued.").response(realm: configuration.issuer)
        }
    }

    /// Client credentials (RFC 6749 §4.4): confidential clients only, `sub` is the client id,
    /// no refresh token.
    mutating func clientCredentials(_ client: DevClient, _ parameters: OAuthParameters, now: Int64) throws -> DevResponse {
        guard !client.isPublic else {
            throw OAuthError(.unauthorizedClient, "Public clients cannot use client_credentials.")
        }
        let scopes = try Self.resolveScopes(parameters["scope"], allowed: client.scopes)
        return try issueTokens(client: client, subject: client.id, scopes: scopes, familyID: nil, now: now)
    }

    /// Mints an access token (and, for a family whose client may refresh, a refresh token) and
    /// builds the RFC 6749 §5.1 response with `Cache-Control: no-store`.
    mutating func issueTokens(client: DevClient, subject: String, scopes: [String], familyID: String?,
                              now: Int64) throws -> DevResponse {
        let ttl = configuration.accessTokenTTL
        let minted = try mintAccessToken(format: client.tokenFormat, clientID: client.id, subject: subject, scopes: scopes, now: now,
                                         expiresIn: ttl, algorithm: configuration.accessTokenAlgorithm,
                                         confirmation: requestDPoPThumbprint)
        var body: [String: Any] = ["access_token": minted.token, "token_type": requestDPoPThumbprint == nil ? "Bearer" : "DPoP",
                                   "expires_in": Int(ttl)]
        if !scopes.isEmpty { body["scope"] = scopes.joined(separator: " ") }
        if let familyID {
            families[familyID]?.accessTokens[minted.jti] = now + ttl
            if client.allows(.refreshToken) {
                let refreshToken = Self.randomToken()
                refreshTokens[Self.digest(refreshToken)] =
                    RefreshTokenRecord(familyID: familyID, expiresAt: now + configuration.refreshTokenTTL)
                body["refresh_token"] = refreshToken
            }
        }
        return .json(200, body)
    }

    /// Starts a token family for a user authorization and returns its id.
    mutating func startFamily(client: DevClient, subject: String, scopes: [String]) -> String {
        let id = Self.randomToken(bytes: 16)
        families[id] = TokenFamily(clientID: client.id, subject: subject, scopes: scopes)
        return id
    }

    /// The thumbprint of the request's `DPoP` proof (RFC 9449 §5), verified with JOSE's proof
    /// verifier for `POST <issuer>/oauth/token`; `nil` without a proof. More than one proof, or an
    /// invalid one, is `invalid_dpop_proof`.
    func dpopThumbprint(_ request: DevRequest, now: Int64) throws -> String? {
        let proofs = request.headerValues("DPoP")
        guard !proofs.isEmpty else { return nil }
        guard proofs.count == 1, let target = HTTPTargetURI.normalize(configuration.issuer + "/oauth/token") else {
            throw OAuthError(.invalidDPoPProof, "Exactly one DPoP proof is required.")
        }
        do throws(DPoPRejection) {
            let proof = try DPoPProofVerifier().verify(Substring(proofs[0]), for: DPoPRequest(method: "POST", targetURI: target,
                                                                                            accessToken: nil, boundThumbprint: nil), now: now)
            return proof.thumbprint
        } catch {
            throw OAuthError(.invalidDPoPProof, "The DPoP proof is invalid: \(error.description).")
        }
    }
}
