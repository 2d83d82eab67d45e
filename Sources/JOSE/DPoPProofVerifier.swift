import PortcullisCrypto
import TextCoding

/// A DPoP proof that passed every stateless check (RFC 9449 §4.3). The caller still checks `jti`
/// against its replay cache and, when it requires nonces, `nonce`.
public struct DPoPProof: Sendable, Equatable {
    /// `jti`.
    public let identifier: String
    /// `iat`.
    public let issuedAt: Int64
    /// RFC 7638 thumbprint of the proof's `jwk`.
    public let thumbprint: String
    /// `nonce`, if present.
    public let nonce: String?
}

/// What the request says a proof must match.
public struct DPoPRequest: Sendable {
    /// The request method (`htm`).
    public var method: String
    /// The request URI, normalized with `HTTPTargetURI.normalize` (`htu`).
    public var targetURI: String
    /// The access token sent with the proof (`ath`); `nil` at a token endpoint (no token yet).
    public var accessToken: Substring?
    /// The token's `cnf.jkt`; `nil` at a token endpoint (the proof's key becomes the binding).
    public var boundThumbprint: String?

    /// Creates the expectations of one request.
    public init(method: String, targetURI: String, accessToken: Substring?, boundThumbprint: String?) {
        self.method = method
        self.targetURI = targetURI
        self.accessToken = accessToken
        self.boundThumbprint = boundThumbprint
    }
}

/// Verifies DPoP proofs with the JOSE module's strict parser and EVP verification (no second JWT
/// verifier): the proof is a compact JWS verified with the public key in its own header, whose
/// thumbprint must be the token's `cnf.jkt`. Pure: `now` is a parameter.
public struct DPoPProofVerifier: Sendable {
    /// Asymmetric algorithms a proof may use (never `none` or HS*).
    public let allowedAlgorithms: Set<JWSAlgorithm>
    /// How old (and how far in the future, at most `futureSkewSeconds`) `iat` may be.
    public let maxAgeSeconds: Int64
    /// Tolerated clock difference for an `iat` in the future.
    public let futureSkewSeconds: Int64
    let verifier = TokenVerifier(limits: TokenLimits(maximumTokenBytes: 8 * 1024))
    /// Parsed proof keys, reused across a client's requests (see `DPoPKeyCache`).
    let keys = DPoPKeyCache()

    /// Every asymmetric JWS algorithm.
    public static let asymmetricAlgorithms: Set<JWSAlgorithm> = Set(JWSAlgorithm.allCases.filter { !$0.isSymmetric })

    /// A verifier; `allowedAlgorithms` loses any symmetric algorithm.
    public init(allowedAlgorithms: Set<JWSAlgorithm> = asymmetricAlgorithms, maxAgeSeconds: Int64 = 300, futureSkewSeconds: Int64 = 60) {
        self.allowedAlgorithms = allowedAlgorithms.filter { !$0.isSymmetric }
        self.maxAgeSeconds = maxAgeSeconds
        self.futureSkewSeconds = futureSkewSeconds
    }

    /// The `algs` of the `DPoP` challenge, space-separated and sorted.
    public var algorithmsText: String { allowedAlgorithms.map(\.rawValue).sorted().joined(separator: " ") }

    /// Checks `proof` for `request` at `now`. Order: structure and header, signature, then claims,
    /// so unauthenticated claims never decide more than "bad signature".
    public func verify(_ proof: Substring, for request: DPoPRequest, now: Int64) throws(DPoPRejection) -> DPoPProof {
        var text = proof
        let parsedResult: Result<ParsedToken, TokenRejection> = text.withUTF8 { bytes in
            do throws(TokenRejection) { return .success(try verifier.parse(UnsafeRawBufferPointer(bytes))) }
            catch { return .failure(error) }
        }
        let parsed: ParsedToken
        switch parsedResult {
        case .success(let p): parsed = p
        case .failure(let rejection):
            switch rejection.code {
            case .algNone, .unsupportedAlgorithm: throw DPoPRejection(.algorithm, "DPoP proof algorithm is not accepted")
            default: throw DPoPRejection(.malformed, "DPoP proof is not a valid compact JWS")
            }
        }
        let header = parsed.header
        guard TokenVerifier.typeMatches(header.type, required: "dpop+jwt") else {
            throw DPoPRejection(.type, "DPoP proof typ is not dpop+jwt")
        }
        guard header.critical == nil else { throw DPoPRejection(.malformed, "DPoP proof has an unsupported crit header") }
        guard allowedAlgorithms.contains(header.algorithm) else {
            throw DPoPRejection(.algorithm, "DPoP proof algorithm is not accepted")
        }
        guard let jwkObject = header.embeddedJWK else { throw DPoPRejection(.key, "DPoP proof has no jwk header") }
        let jwk: JWK
        switch keys.key(for: jwkObject) {
        case .success(let k): jwk = k
        case .failure(let reason):
            throw DPoPRejection(.key, reason == .privateKeyMaterial ? "DPoP proof jwk contains private key material"
                                                                      : "DPoP proof jwk is not a usable public key")
        }
        guard jwk.fits(header.algorithm) else { throw DPoPRejection(.key, "DPoP proof jwk does not fit its algorithm") }
        let verified: Bool
        do throws(TokenRejection) { verified = try verifier.verifySignature(parsed, key: .jwk(jwk)) }
        catch { throw DPoPRejection(.key, "DPoP proof jwk does not fit its algorithm") }
        guard verified else { throw DPoPRejection(.signature, "DPoP proof signature is invalid") }

        let claims = parsed.claims
        guard claims["htm"]?.stringValue == request.method else {
            throw DPoPRejection(.method, "DPoP proof htm does not match the request method")
        }
        guard let htu = claims["htu"]?.stringValue, HTTPTargetURI.normalize(htu) == request.targetURI else {
            throw DPoPRejection(.uri, "DPoP proof htu does not match the request URI")
        }
        guard let iatValue = claims["iat"]?.numberValue, iatValue.isFinite, abs(iatValue) < 1e15 else {
            throw DPoPRejection(.issuedAt, "DPoP proof has no numeric iat")
        }
        let iat = Int64(iatValue)
        guard iat >= now - maxAgeSeconds, iat <= now + futureSkewSeconds else {
            throw DPoPRejection(.issuedAt, "DPoP proof iat is outside the accepted window")
        }
        guard let jti = claims["jti"]?.stringValue, !jti.isEmpty, jti.utf8.count <= 256 else {
            throw DPoPRejection(.identifier, "DPoP proof has no usable jti")
        }
        if let token = request.accessToken {
            var t = token
            let hash = t.withUTF8 { Base64URL.encode(SHA256Digest(hashing: UnsafeRawBufferPointer($0)).bytes) }
            guard claims["ath"]?.stringValue == hash else {
                throw DPoPRejection(.tokenHash, "DPoP proof ath does not match the access token")
            }
        }
        guard let thumbprint = JWKThumbprint.sha256(of: jwkObject) else { throw DPoPRejection(.key, "DPoP proof jwk has no thumbprint") }
        if let bound = request.boundThumbprint, bound != thumbprint {
            throw DPoPRejection(.keyBinding, "DPoP proof key does not match the token's binding")
        }
        var nonce: String?
        if let n = claims["nonce"] {
            guard let s = n.stringValue else { throw DPoPRejection(.nonce, "DPoP proof nonce is not a string") }
            nonce = s
        }
        return DPoPProof(identifier: jti, issuedAt: iat, thumbprint: thumbprint, nonce: nonce)
    }
}
