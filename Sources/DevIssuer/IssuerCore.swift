import JOSE
import PortcullisCrypto
import TextCoding

/// The development issuer's whole state and its request handling, as a plain value.
///
/// `DevIssuer` keeps one behind a mutex; every handler here is a synchronous, clock-free
/// function of (state, request, `now`).
///
/// Security invariant: codes, refresh tokens and device codes are stored only as SHA-256
/// digests (`IssuerCore.digest`), so the dictionaries never hold a usable credential, and
/// lookup timing reveals nothing about the secret itself.
struct IssuerCore {
    let configuration: DevIssuerConfiguration
    var keyRing: KeyRing
    var codes: [String: AuthorizationCodeGrant] = [:]
    var families: [String: TokenFamily] = [:]
    var refreshTokens: [String: RefreshTokenRecord] = [:]
    var deviceGrants: [String: DeviceGrant] = [:]
    /// Normalized user code → device-code digest.
    var userCodes: [String: String] = [:]
    /// Revoked access tokens: `jti` → `exp` (kept until they would have expired anyway).
    var revokedAccessTokens: [String: Int64] = [:]
    /// Opaque access tokens by digest (never the token), until they expire or are revoked.
    var opaqueAccessTokens: [String: OpaqueAccessToken] = [:]
    /// The key thumbprint of the current token request's valid `DPoP` proof (RFC 9449 §5), set by
    /// `tokenEndpoint` for the duration of that one request: the tokens it issues are bound to it.
    var requestDPoPThumbprint: String?
    /// When expired records were last swept.
    var lastSweep: Int64 = .min

    init(configuration: DevIssuerConfiguration, keyRing: KeyRing) {
        self.configuration = configuration
        self.keyRing = keyRing
    }

    /// Routes a request to its endpoint.
    mutating func handle(_ request: DevRequest, now: Int64) -> DevResponse {
        housekeeping(now: now)
        switch request.path {
        case "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server":
            return request.method == "GET" ? discovery() : .methodNotAllowed("GET")
        case "/.well-known/jwks.json":
            return request.method == "GET" ? jwksResponse() : .methodNotAllowed("GET")
        case "/oauth/token":
            return tokenEndpoint(request, now: now)
        case "/oauth/authorize":
            return request.method == "GET" ? authorize(request, now: now) : .methodNotAllowed("GET")
        case "/oauth/device_authorization":
            return deviceAuthorization(request, now: now)
        case "/device":
            return verificationPage(request, now: now)
        case "/oauth/revoke":
            return revoke(request, now: now)
        case "/oauth/introspect":
            return introspect(request, now: now)
        case "/oauth/userinfo":
            return userInfo(request, now: now)
        default:
            return .notFound
        }
    }

    /// Drops retired keys past their grace period and, at most once a minute, dead records.
    ///
    /// Expired codes and device grants are kept one more lifetime as tombstones, so a late poll
    /// still gets `expired_token`; a redeemed code is kept while its token family lives, so a
    /// replay can still revoke it.
    mutating func housekeeping(now: Int64) {
        keyRing.dropRetired(now: now, grace: configuration.keyRotationGracePeriod)
        guard now >= lastSweep &+ 60 else { return }
        lastSweep = now
        refreshTokens = refreshTokens.filter { $0.value.expiresAt > now }
        revokedAccessTokens = revokedAccessTokens.filter { $0.value > now }
        opaqueAccessTokens = opaqueAccessTokens.filter { $0.value.expiresAt > now }
        let referenced = Set(refreshTokens.values.map(\.familyID))
        families = families.filter { id, family in
            referenced.contains(id) || family.accessTokens.values.contains { $0 > now }
        }
        codes = codes.filter { _, code in
            code.expiresAt + configuration.codeTTL > now || code.familyID.map { families[$0] != nil } ?? false
        }
        for (key, grant) in deviceGrants where grant.expiresAt + configuration.deviceCodeTTL <= now {
            deviceGrants[key] = nil
            userCodes[grant.userCode] = nil
        }
    }

    /// The storage key of a bearer secret: base64url(SHA-256(secret)).
    static func digest(_ secret: String) -> String {
        Base64URL.encode(SHA256Digest(hashing: Array(secret.utf8)).bytes)
    }

    /// A fresh random identifier or credential: `bytes` random bytes, base64url.
    static func randomToken(bytes: Int = 32) -> String {
        Base64URL.encode(SecureRandom.bytes(bytes))
    }

    /// Revokes a family: its refresh tokens stop working and its access tokens are revoked by `jti`.
    mutating func revokeFamily(_ id: String) {
        guard var family = families[id] else { return }
        family.revoked = true
        for (jti, exp) in family.accessTokens {
            revokedAccessTokens[jti] = exp
        }
        families[id] = family
    }

    /// The requested scopes checked against `allowed`: absent → all of `allowed`;
    /// any scope outside `allowed` → `invalid_scope`. Order kept, duplicates dropped.
    static func resolveScopes(_ requested: String?, allowed: [String]) throws -> [String] {
        guard let requested else { return allowed }
        var scopes: [String] = []
        for token in requested.split(separator: " ", omittingEmptySubsequences: true) {
            let scope = String(token)
            guard allowed.contains(scope) else {
                throw OAuthError(.invalidScope, "The requested scope exceeds the scopes allowed for this client.")
            }
            if !scopes.contains(scope) { scopes.append(scope) }
        }
        guard !scopes.isEmpty else { throw OAuthError(.invalidScope, "The requested scope is empty.") }
        return scopes
    }
}
