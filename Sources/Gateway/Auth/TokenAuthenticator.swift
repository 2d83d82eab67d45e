import JOSE
import PortcullisCrypto
import IO

/// The outcome of checking one bearer token.
public enum TokenCheck: Sendable {
    case verified(VerifiedCaller)
    case rejected(TokenRejection)
    /// Our keys for the token's issuer are missing or too stale: 503 with `Retry-After`.
    case keysUnavailable(retryAfterSeconds: Int)
    /// The introspection endpoint is down, timing out, answering non-200 or nonsense: 503 with
    /// `Retry-After` (never a 401 for a token that may be valid).
    case introspectionUnavailable(retryAfterSeconds: Int)
}

/// Verifies bearer tokens offline: verified-token cache first (keyed by SHA-256 of the token, expiry
/// re-checked on every hit), then parse → issuer by exact `iss` → key by `kid` from the issuer's cached
/// JWKS → signature and claims. An unknown `kid` waits for one coalesced, rate-limited JWKS refresh.
public final class TokenAuthenticator: Sendable {
    public let issuers: [String: TrustedIssuerRuntime]
    /// The same issuers as a list, searched in place (`ParsedToken.hasIssuer`) when there are at
    /// most `linearIssuerLookup` of them: cheaper than building the `iss` string and hashing it.
    private let issuerList: [TrustedIssuerRuntime]
    static let linearIssuerLookup = 4
    public let cache: VerifiedTokenCache<VerifiedCaller>
    /// `identity_headers` (header, claim): each verified token's header lines are serialized once.
    let identityHeaders: [(header: String, claim: String)]
    let verifier = TokenVerifier()
    let clock: any Clock
    /// The personal access token table (`personal_access_tokens`), if configured.
    public let personalAccessTokens: PersonalAccessTokenTable?
    /// Introspection issuers in configuration order: a token that is not a compact JWS goes to the
    /// first one the route accepts.
    public let introspectors: [TokenIntrospector]

    public init(issuers: [TrustedIssuerRuntime], cache: VerifiedTokenCache<VerifiedCaller>,
                identityHeaders: [(header: String, claim: String)] = [], clock: any Clock = MonotonicClock(),
                personalAccessTokens: PersonalAccessTokenTable? = nil, introspectors: [TokenIntrospector] = []) {
        var map: [String: TrustedIssuerRuntime] = [:]
        for i in issuers { map[i.configuration.issuer] = i }
        self.issuers = map
        issuerList = Array(map.values)
        self.cache = cache
        self.identityHeaders = identityHeaders
        self.clock = clock
        self.personalAccessTokens = personalAccessTokens
        self.introspectors = introspectors
    }

    /// Checks `token`. Returns the result at once, or `nil` when it must wait for a JWKS refresh, in
    /// which case `completion` is called later (on the fetcher's queue).
    public func check(_ token: Substring, acceptedIssuers: [String]? = nil, completion: @escaping @Sendable (TokenCheck) -> Void) -> TokenCheck? {
        check(token, acceptedIssuers: acceptedIssuers, makeCompletion: { completion })
    }

    /// `check` for the request path: the completion is built by `makeCompletion` only when the check
    /// must wait, so a synchronous answer (nearly every request) allocates no closure.
    ///
    /// `acceptedIssuers` (the route's `issuers`, `nil` = all) picks the introspection issuer for a
    /// token that is not a compact JWS.
    public func check(_ token: Substring, acceptedIssuers: [String]? = nil,
                      makeCompletion: () -> @Sendable (TokenCheck) -> Void) -> TokenCheck? {
        var token = token
        let sha = token.withUTF8 { SHA256Digest(hashing: UnsafeRawBufferPointer($0)) }
        let digest = TokenDigest(sha.words.0, sha.words.1, sha.words.2, sha.words.3)
        let now = clock.unixSeconds()
        if let hit = cache.value(for: digest, now: Double(now)) { return .verified(hit) }
        // Not a compact JWS (not exactly two `.`): a personal access token, looked up by its digest,
        // else an opaque token for the first introspection issuer the route accepts.
        if !introspectors.isEmpty || personalAccessTokens != nil, Self.dotCount(token) != 2 {
            if let pats = personalAccessTokens, let result = pats.check(digest, now: now) { return result }
            if token.hasPrefix(PersonalAccessTokenTable.prefix) {
                return .rejected(TokenRejection(.unknownToken, "personal access token is not known"))
            }
            if let introspector = introspectors.first(where: { acceptedIssuers?.contains($0.issuer) ?? true }) {
                return introspector.check(token, digest: digest, now: now, makeCompletion: makeCompletion)
            }
            if !introspectors.isEmpty {
                return .rejected(TokenRejection(.unknownToken, "opaque tokens are not accepted for this route"))
            }
        }
        // Parsed straight from the header's bytes (`Array(token.utf8)` copies a Substring byte by
        // byte through the generic sequence path: ~2 µs for a 1 KiB token).
        let parsedResult: Result<ParsedToken, TokenRejection> = token.withUTF8 { bytes in
            do throws(TokenRejection) { return .success(try verifier.parse(UnsafeRawBufferPointer(bytes))) }
            catch { return .failure(error) }
        }
        let parsed: ParsedToken
        switch parsedResult {
        case .success(let p): parsed = p
        case .failure(let error): return .rejected(error)
        }
        guard let issuer = issuer(of: parsed) else {
            return .rejected(TokenRejection(.unknownIssuer, "token issuer is not trusted"))
        }
        let epoch = cache.epoch
        guard let fetcher = issuer.keys else {
            return verify(parsed, issuer: issuer, keys: JWKSet(keys: []), digest: digest, now: now, epoch: epoch)
        }
        switch fetcher.lookup(kid: parsed.header.keyID) {
        case .keys(let keys):
            return verify(parsed, issuer: issuer, keys: keys, digest: digest, now: now, epoch: epoch)
        case .unknownKey:
            return .rejected(Self.unknownKey(issuer))
        case .unavailable(let retryAfter):
            return .keysUnavailable(retryAfterSeconds: retryAfter)
        case .awaitRefresh:
            let completion = makeCompletion()
            fetcher.awaitRefresh(kid: parsed.header.keyID) { [self] result in
                let now = clock.unixSeconds()
                let epoch = cache.epoch
                switch result {
                case .keys(let keys): completion(verify(parsed, issuer: issuer, keys: keys, digest: digest, now: now, epoch: epoch))
                case .unavailable(let retryAfter): completion(.keysUnavailable(retryAfterSeconds: retryAfter))
                case .unknownKey, .awaitRefresh: completion(.rejected(Self.unknownKey(issuer)))
                }
            }
            return nil
        }
    }

    /// The trusted issuer whose name is exactly the token's `iss` (byte for byte), if any.
    private func issuer(of parsed: ParsedToken) -> TrustedIssuerRuntime? {
        if issuerList.count <= Self.linearIssuerLookup {
            return issuerList.first { parsed.hasIssuer($0.configuration.issuer) }
        }
        return parsed.issuer.flatMap { issuers[$0] }
    }

    /// Number of `.` in `token`, counting at most 3.
    static func dotCount(_ token: Substring) -> Int {
        var n = 0
        for byte in token.utf8 where byte == UInt8(ascii: ".") {
            n += 1
            if n > 2 { break }
        }
        return n
    }

    private func verify(_ parsed: ParsedToken, issuer: TrustedIssuerRuntime, keys: JWKSet, digest: TokenDigest, now: Int64, epoch: UInt64) -> TokenCheck {
        let key: VerificationKey
        switch issuer.configuration.selectKey(for: parsed.header, in: keys) {
        case .key(let k): key = k
        case .unknownKey: return .rejected(Self.unknownKey(issuer))
        case .rejected(let r): return .rejected(Self.attributed(r, to: issuer))
        }
        do {
            let token = try verifier.verify(parsed, key: key, issuer: issuer.configuration, now: now)
            // Valid until exp (+ the issuer's skew, as the verifier accepts it); the cache also bounds
            // every entry by its TTL and re-checks this on every hit.
            let notAfter = token.expiresAt.map { Double($0 + issuer.configuration.clockSkewSeconds) } ?? Double(now) + cache.configuration.ttl
            let caller = VerifiedCaller(token: token, identityHeaders: identityHeaders)
            cache.insert(caller, for: digest, keyID: key.invalidationID, notAfter: notAfter, now: Double(now), epoch: epoch)
            return .verified(caller)
        } catch {
            return .rejected(Self.attributed(error, to: issuer))
        }
    }

    /// `rejection` labelled with the trusted issuer that refused it (metrics, access log).
    private static func attributed(_ rejection: TokenRejection, to issuer: TrustedIssuerRuntime) -> TokenRejection {
        var r = rejection
        r.issuer = issuer.configuration.issuer
        return r
    }

    private static func unknownKey(_ issuer: TrustedIssuerRuntime) -> TokenRejection {
        attributed(TokenRejection(.unknownKey, "token signing key is not known"), to: issuer)
    }
}
