import PortcullisCrypto

extension IssuerCore {
    /// Authenticates the client of a token, device, revocation or introspection request.
    ///
    /// Methods (RFC 6749 §2.3.1): `client_secret_basic` (HTTP Basic with form-encoded id and
    /// secret), `client_secret_post` (`client_id` + `client_secret` parameters), or `none` for
    /// public clients (`client_id` only). Using Basic and a `client_secret` parameter together is
    /// `invalid_request`. Every authentication failure is `invalid_client` (401).
    ///
    /// Security invariants: secrets are compared in constant time over SHA-256 digests
    /// (`ConstantTime.secretsEqual`); a public client presenting a secret is refused rather
    /// than ignored; no secret ever appears in an error description.
    func authenticateClient(_ request: DevRequest, _ parameters: OAuthParameters) throws -> DevClient {
        let authorizations = request.headerValues("Authorization")
        guard authorizations.count <= 1 else {
            throw OAuthError(.invalidRequest, "The Authorization header was sent more than once.")
        }
        var basic: (id: String, secret: String)?
        if let header = authorizations.first, header.count >= 6, header.prefix(6).lowercased() == "basic " {
            guard let credentials = Self.decodeBasic(header.dropFirst(6)) else {
                var error = OAuthError(.invalidClient, "The Basic credentials are malformed.")
                error.usedBasicAuthentication = true
                throw error
            }
            basic = credentials
        }
        if basic != nil {
            if parameters["client_secret"] != nil {
                throw OAuthError(.invalidRequest, "Use exactly one client authentication method.")
            }
            if let bodyID = parameters["client_id"], bodyID != basic?.id {
                throw OAuthError(.invalidRequest, "client_id does not match the Basic credentials.")
            }
        }
        func failure(_ description: String) -> OAuthError {
            var error = OAuthError(.invalidClient, description)
            error.usedBasicAuthentication = basic != nil
            return error
        }
        guard let id = basic?.id ?? parameters["client_id"] else {
            throw failure("Client authentication is required.")
        }
        guard let client = configuration.client(id) else {
            throw failure("Client authentication failed.")
        }
        let presented = basic?.secret ?? parameters["client_secret"]
        if let expected = client.secret {
            guard let presented,
                  ConstantTime.secretsEqual(Array(presented.utf8), Array(expected.utf8)) else {
                throw failure("Client authentication failed.")
            }
        } else if presented != nil && presented != "" {
            throw failure("Public clients do not authenticate with a secret.")
        }
        return client
    }

    /// Decodes `base64(urlencode(id) ":" urlencode(secret))`. Nil when malformed.
    static func decodeBasic(_ encoded: Substring) -> (id: String, secret: String)? {
        guard let decoded = Base64Standard.decode(Array(encoded.trimmingSpaces.utf8)),
              let colon = decoded.firstIndex(of: UInt8(ascii: ":")),
              let id = FormEncoding.decodeComponent(decoded[..<colon]),
              let secret = FormEncoding.decodeComponent(decoded[(colon + 1)...]),
              !id.isEmpty else { return nil }
        return (id, secret)
    }
}
