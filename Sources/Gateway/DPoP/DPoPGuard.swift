import Config
import HTTP1
import JOSE
import Policy

/// What a DPoP-scheme request says about itself, captured when its head is parsed (only for that
/// scheme: Bearer requests pay nothing).
struct DPoPRequestContext: Sendable {
    /// The request method (`htm`).
    let method: String
    /// The normalized request URI (`htu`): listener scheme, `Host`, path without query; `nil`
    /// without a usable `Host`.
    let targetURI: String?
    /// Every `DPoP` field value (exactly one is required).
    let proofs: [String]
}

/// RFC 9449 at the resource server: binds each verified caller to its proof.
///
/// Security invariants:
/// - a token with `cnf.jkt` is accepted only with the `DPoP` scheme and exactly one proof that
///   passes every check of `DPoPProofVerifier` (signed by the bound key, `htm`, `htu`, `iat`, `ath`)
///   and whose `jti` was not seen within the proof lifetime — checked on every request, cache
///   hits included (the proof is per request; only the token's claims are cached);
/// - a bound token sent as `Bearer` is refused (`invalid_token`), as is an unbound token of an
///   issuer with `"dpop": "required"`, and an unbound token sent with the `DPoP` scheme;
/// - with a nonce key, a proof must carry a current server nonce (`use_dpop_nonce` otherwise).
final class DPoPGuard: Sendable {
    let verifier: DPoPProofVerifier
    let replay: DPoPReplayCache
    let nonce: DPoPNonce?
    let requiredIssuers: Set<String>
    /// The scheme of the listener (`http`, or `https` behind TLS) for `htu`.
    let requestScheme: String
    let realm: String

    init(settings: DPoPSettings, requiredIssuers: Set<String>, requestScheme: String, realm: String) throws {
        verifier = DPoPProofVerifier(maxAgeSeconds: Int64(settings.proofMaxAgeSeconds))
        replay = DPoPReplayCache(capacity: settings.replayCacheEntries)
        if let secret = settings.nonceSecret {
            guard let key = secret.load() else { throw StartupError("dpop: the nonce secret is not readable") }
            nonce = DPoPNonce(key: key, windowSeconds: Int64(settings.nonceWindowSeconds))
        } else {
            nonce = nil
        }
        self.requiredIssuers = requiredIssuers
        self.requestScheme = requestScheme
        self.realm = realm
    }

    /// The context of a DPoP-scheme request.
    func context(for head: RequestHead) -> DPoPRequestContext {
        var path = Substring(head.target)
        if let q = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<q] }
        let target = head.headers.first("Host").flatMap { HTTPTargetURI.normalize(requestScheme + "://" + $0 + path) }
        return DPoPRequestContext(method: head.method, targetURI: target, proofs: head.headers.values("DPoP"))
    }

    /// A refusal: the response and its failure code.
    struct Denial {
        let response: ErrorResponse
        let code: String
    }

    /// What `check` decided: go on (with the nonce the response should carry, when the proof's nonce
    /// is from the previous window and expires at the end of this one), or stop.
    enum Verdict {
        case pass(renewedNonce: String?)
        case deny(Denial)
    }

    /// Whether `caller` may proceed. `context` is `nil` for a Bearer request.
    ///
    /// A proof whose nonce is from the previous window passes, and the answer carries the current
    /// nonce (RFC 9449 §8.2: a server may supply a new nonce on any response), so a client that
    /// keeps calling moves to the next nonce without ever meeting a `use_dpop_nonce` 401.
    func check(_ caller: VerifiedCaller, token: Substring, context: DPoPRequestContext?, now: Int64) -> Verdict {
        var age: DPoPNonce.Age?
        if let denial = denial(caller, token: token, context: context, now: now, nonceAge: &age) { return .deny(denial) }
        guard let nonce, age == .previous else { return .pass(renewedNonce: nil) }
        return .pass(renewedNonce: nonce.current(now: now))
    }

    /// `nil` when `caller` may proceed; else why not. `nonceAge`: the window of the accepted proof's
    /// server nonce (checked once: one HMAC per proof).
    private func denial(_ caller: VerifiedCaller, token: Substring, context: DPoPRequestContext?, now: Int64,
                        nonceAge: inout DPoPNonce.Age?) -> Denial? {
        let bound = caller.dpopThumbprint
        guard let context else {
            if bound != nil {
                return invalidToken("DPoP-bound token must be sent with the DPoP scheme", code: "dpop_bound_token_as_bearer", bearer: true)
            }
            if requiredIssuers.contains(caller.token.issuer) {
                return invalidToken("this issuer's tokens must be DPoP-bound", code: "dpop_required", bearer: true)
            }
            return nil
        }
        guard let bound else {
            return invalidToken("token is not DPoP-bound", code: "dpop_token_not_bound", bearer: false)
        }
        guard context.proofs.count == 1, let proofText = context.proofs.first else {
            let rejection = context.proofs.isEmpty ? DPoPRejection(.missingProof, "DPoP proof required")
                                                   : DPoPRejection(.multipleProofs, "more than one DPoP proof")
            return invalidProof(rejection)
        }
        guard let target = context.targetURI else {
            return invalidProof(DPoPRejection(.uri, "request has no usable Host for the DPoP htu check"))
        }
        let proof: DPoPProof
        do throws(DPoPRejection) {
            proof = try verifier.verify(Substring(proofText), for: DPoPRequest(method: context.method, targetURI: target,
                                                                              accessToken: token, boundThumbprint: bound), now: now)
        } catch {
            return invalidProof(error)
        }
        if let nonce {
            guard let presented = proof.nonce, let age = nonce.age(of: presented, now: now) else {
                let description = "a current DPoP nonce is required"
                return Denial(response: DPoPChallenge.response(error: "use_dpop_nonce", description: description,
                                                               algorithms: verifier.algorithmsText,
                                                               extraHeaders: [("DPoP-Nonce", nonce.current(now: now))]),
                              code: DPoPRejection.Code.nonce.rawValue)
            }
            nonceAge = age
        }
        let until = proof.issuedAt + verifier.maxAgeSeconds + verifier.futureSkewSeconds
        guard replay.firstUse(proof.thumbprint + " " + proof.identifier, until: until, now: now) else {
            return invalidProof(DPoPRejection(.replay, "DPoP proof was already used"))
        }
        return nil
    }

    /// The 401 for a rejected token presented with the `DPoP` scheme (DPoP challenge, RFC 9449 §7.1).
    func rejectedToken(description: String, code: String) -> Denial {
        invalidToken(description, code: code, bearer: false)
    }

    private func invalidProof(_ rejection: DPoPRejection) -> Denial {
        Denial(response: DPoPChallenge.response(error: "invalid_dpop_proof", description: rejection.description,
                                                algorithms: verifier.algorithmsText),
               code: rejection.code.rawValue)
    }

    private func invalidToken(_ description: String, code: String, bearer: Bool) -> Denial {
        var response = DPoPChallenge.response(error: "invalid_token", description: description, algorithms: verifier.algorithmsText)
        if bearer {
            // Sent as Bearer: the Bearer challenge first, then the DPoP one naming the accepted algorithms.
            response.headers.insert(("WWW-Authenticate", BearerChallenge(realm: realm, error: "invalid_token", description: description).headerValue),
                                    at: response.headers.firstIndex { $0.name == "WWW-Authenticate" } ?? response.headers.count)
            if let i = response.headers.lastIndex(where: { $0.name == "WWW-Authenticate" }) {
                response.headers[i].value = DPoPChallenge(algorithms: verifier.algorithmsText).headerValue
            }
        }
        return Denial(response: response, code: code)
    }
}
