/// A token whose signature and claims passed every check: the only form in which claims may be
/// trusted downstream (scope decisions, identity headers, the verified-token cache).
///
/// A final class of constants, not a struct: a cache hit hands out one reference (one retain)
/// instead of copying nine fields (a retain each).
public final class VerifiedToken: Sendable {
    /// `iss`.
    public let issuer: String
    /// `sub`, if a string.
    public let subject: String?
    /// `aud` as a list (a single string becomes one element), built when read.
    public var audiences: [String] { givenAudiences ?? ClaimsValidator.audiences(claims) }
    /// The audiences of a trusted token, given by its source; `nil` for a verified JWT (read from `claims`).
    private let givenAudiences: [String]?
    /// `exp` in seconds since the epoch, if present.
    public let expiresAt: Int64?
    /// Scopes from `scope` (space-separated string, RFC 8693 §4.2) or, if absent, `scp`
    /// (string or array, as some providers emit).
    public let scopes: [String]
    /// `scopes` joined by single spaces (the identity header value), built when read.
    public var scopeText: String { scopes.joined(separator: " ") }
    /// `client_id` (RFC 9068), else `azp`.
    public let clientID: String?
    /// The `kid` of the JWK that verified the token (`nil` for HS* or a kid-less key).
    public let keyID: String?
    /// The verified algorithm; `nil` for a token vouched for without a signature check here
    /// (a personal access token, an introspected opaque token).
    public let algorithm: JWSAlgorithm?
    /// All claims, for identity headers and policy extensions (read member by member: see `ClaimSet`).
    public let claims: ClaimSet

    /// Any claim by name.
    public func claim(_ name: String) -> JSONValue? { claims[name] }

    /// A string claim by name (`nil` when absent or not a string).
    public func stringClaim(_ name: String) -> String? { claims[name]?.stringValue }

    /// A token the gateway trusts without verifying a signature: a personal access token found (by
    /// hash) in its table, or an opaque token its issuer's introspection endpoint declared active.
    /// `claims` must come from that trusted source, never from the token itself; `issuer` is the
    /// name route `issuers` lists refer to.
    public convenience init(trustedClaims claims: JSONObject, issuer: String, audiences: [String], expiresAt: Int64?) {
        self.init(claims: ClaimSet(claims), issuer: issuer, audiences: audiences, expiresAt: expiresAt, keyID: nil, algorithm: nil)
    }

    init(claims: ClaimSet, issuer: String, audiences: [String]?, expiresAt: Int64?,
         keyID: String?, algorithm: JWSAlgorithm?) {
        self.claims = claims
        self.issuer = issuer
        givenAudiences = audiences
        self.expiresAt = expiresAt
        self.keyID = keyID
        self.algorithm = algorithm
        subject = claims[.sub]?.stringValue
        clientID = claims[.clientID]?.stringValue ?? claims[.azp]?.stringValue
        // `scope` split where it lies in the payload (no string built for the whole claim).
        if let fromScope = claims.withStringBytes(.scope, Self.splitScopes) {
            scopes = fromScope
        } else if let scp = claims[.scp] {
            scopes = scp.stringValue.map(Self.splitScopes) ?? scp.stringArrayValue ?? []
        } else {
            scopes = []
        }
    }

    /// Splits on ASCII spaces, dropping empty items (RFC 6749 §3.3 scope syntax). Counts the items
    /// first, so the array is allocated once at its final size.
    static func splitScopes(_ s: String) -> [String] {
        if let items = s.utf8.withContiguousStorageIfAvailable(splitScopes) { return items }
        return Array(s.utf8).withUnsafeBufferPointer(splitScopes)
    }

    static func splitScopes(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        var count = 0
        var previous: UInt8 = 0x20
        for b in bytes {
            if b != 0x20 && previous == 0x20 { count += 1 }
            previous = b
        }
        var out: [String] = []
        out.reserveCapacity(count)
        var start = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x20 {
            if i > start { out.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)) }
            start = i + 1
        }
        return out
    }
}
