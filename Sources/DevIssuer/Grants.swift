/// A code from `/oauth/authorize`, stored under the digest of the code.
struct AuthorizationCodeGrant {
    let clientID: String
    let redirectURI: String
    let scopes: [String]
    let subject: String
    /// The PKCE S256 challenge (base64url of SHA-256 of the verifier).
    let codeChallenge: String
    let expiresAt: Int64
    /// Set by the first redemption attempt; a second one revokes `familyID`.
    var redeemed = false
    /// The tokens issued from this code, if any.
    var familyID: String?
}

/// Every token descending from one authorization (code or device approval): revoking the
/// family revokes its access tokens (by `jti`) and all of its refresh tokens.
struct TokenFamily {
    let clientID: String
    let subject: String
    let scopes: [String]
    var revoked = false
    /// `jti` → `exp` of the access tokens issued in this family.
    var accessTokens: [String: Int64] = [:]
}

/// One refresh token, stored under its digest.
struct RefreshTokenRecord {
    let familyID: String
    let expiresAt: Int64
    /// Set when it was exchanged; presenting it again is reuse and revokes the family.
    var rotated = false
}

/// A device authorization (RFC 8628), stored under the digest of the device code.
struct DeviceGrant {
    enum Status { case pending, approved, denied, redeemed }

    let clientID: String
    let scopes: [String]
    /// The user code without separator, e.g. `WDJBMJHT`.
    let userCode: String
    let expiresAt: Int64
    /// Seconds the client must wait between polls; grows by 5 on each `slow_down`.
    var interval: Int64
    var lastPolledAt: Int64?
    var status = Status.pending
}
