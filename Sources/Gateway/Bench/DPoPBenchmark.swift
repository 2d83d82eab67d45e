import IO
import JOSE
import PortcullisCrypto

extension VerificationBenchmark {
    /// The per-request cost of DPoP at the gateway: one proof verified (parse, `jwk` → key, signature,
    /// claims, thumbprint) for `alg`, proofs signed in advance (a fresh proof per request, as clients
    /// send them). Compare with `verify` of the same algorithm and with `openssl speed`.
    public static func dpopProof(_ alg: SigningKey.Algorithm, seconds: Double) throws -> Result {
        let type: SigningKey.KeyType = alg == .rs256 ? .rsa : (alg == .es256 ? .p256 : .ed25519)
        let signer = DPoPProofSigner(key: try SigningKey.generate(type))
        let now = MonotonicClock().unixSeconds()
        let token = "bench-access-token"
        let url = "https://api.bench/v1/port-calls/1"
        let proofs = try (0..<256).map { _ in Substring(try signer.proof(method: "GET", url: url, accessToken: token, now: now)) }
        let request = DPoPRequest(method: "GET", targetURI: HTTPTargetURI.normalize(url)!, accessToken: Substring(token),
                                  boundThumbprint: signer.thumbprint)
        let verifier = DPoPProofVerifier()
        var i = 0
        return try measure("DPoP proof \(alg.rawValue) (verify per request)", seconds: seconds, batchSize: 64) {
            for _ in 0..<64 {
                _ = try verifier.verify(proofs[i & 255], for: request, now: now)
                i &+= 1
            }
        }
    }
}
