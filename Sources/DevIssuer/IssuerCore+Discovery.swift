extension IssuerCore {
    /// `GET /.well-known/openid-configuration` (OpenID Connect Discovery / RFC 8414 metadata).
    func discovery() -> DevResponse {
        let base = configuration.issuer
        let scopes = configuration.clients.flatMap(\.scopes).reduce(into: [String]()) { all, scope in
            if !all.contains(scope) { all.append(scope) }
        }
        let clientAuth = ["client_secret_basic", "client_secret_post", "none"]
        return .json(200, [
            "issuer": base,
            "authorization_endpoint": base + "/oauth/authorize",
            "token_endpoint": base + "/oauth/token",
            "device_authorization_endpoint": base + "/oauth/device_authorization",
            "jwks_uri": base + "/.well-known/jwks.json",
            "revocation_endpoint": base + "/oauth/revoke",
            "introspection_endpoint": base + "/oauth/introspect",
            "userinfo_endpoint": base + "/oauth/userinfo",
            "grant_types_supported": GrantType.allCases.map(\.rawValue),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": clientAuth,
            "revocation_endpoint_auth_methods_supported": clientAuth,
            "introspection_endpoint_auth_methods_supported": clientAuth,
            "scopes_supported": scopes,
            "subject_types_supported": ["public"],
            "authorization_response_iss_parameter_supported": true,
        ], noStore: false, extraHeaders: [("Cache-Control", "max-age=60")])
    }

    /// `GET /.well-known/jwks.json`: current and in-grace keys, cacheable for 60 s.
    func jwksResponse() -> DevResponse {
        DevResponse(status: 200, headers: [("Content-Type", "application/json"), ("Cache-Control", "max-age=60")],
                    body: keyRing.jwks)
    }
}
