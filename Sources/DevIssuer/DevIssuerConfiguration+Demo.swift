extension DevIssuerConfiguration {
    /// The demo scopes (the PortTask seed's vocabulary) used by the out-of-the-box setup.
    public static let demoScopes = ["read:port_calls", "write:port_calls", "read:vessels",
                                    "read:invoices", "write:invoices", "admin"]

    /// A ready-made development configuration: one client of every kind, all on the demo scopes.
    ///
    /// - `portcullis-cli` (secret `portcullis-cli-secret`): client credentials, for `portcullis token`.
    /// - `loadtest` (secret `loadtest-secret`): client credentials.
    /// - `demo-web` (secret `demo-web-secret`): authorization code + refresh, redirect
    ///   `http://127.0.0.1:8080/callback`.
    /// - `demo-spa` (public): authorization code with PKCE + refresh, same redirect.
    /// - `demo-device` (public): device code + refresh.
    ///
    /// These secrets are public knowledge by design: never expose this issuer beyond loopback.
    public static func demo(issuer: String, audience: String, keysDirectory: String? = nil) -> DevIssuerConfiguration {
        let redirect = "http://127.0.0.1:8080/callback"
        return DevIssuerConfiguration(
            issuer: issuer, audience: audience,
            user: DevUser(sub: "dev-user", name: "Dev User", email: "dev@portcullis.local"),
            clients: [
                DevClient(id: "portcullis-cli", secret: "portcullis-cli-secret", grantTypes: [.clientCredentials],
                          scopes: demoScopes),
                DevClient(id: "loadtest", secret: "loadtest-secret", grantTypes: [.clientCredentials], scopes: demoScopes),
                DevClient(id: "demo-web", secret: "demo-web-secret", grantTypes: [.authorizationCode, .refreshToken],
                          scopes: demoScopes, redirectURIs: [redirect]),
                DevClient(id: "demo-spa", secret: nil, grantTypes: [.authorizationCode, .refreshToken],
                          scopes: demoScopes, redirectURIs: [redirect]),
                DevClient(id: "demo-device", secret: nil, grantTypes: [.deviceCode, .refreshToken], scopes: demoScopes),
            ],
            keysDirectory: keysDirectory)
    }
}
