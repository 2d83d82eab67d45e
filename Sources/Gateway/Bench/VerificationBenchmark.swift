import IO
import JOSE
#if canImport(Glibc)
import Glibc
#endif
import Policy
import PortcullisCrypto
import TextCoding

/// Micro-benchmarks behind `portcullis bench` (figures go to BENCHMARKS.md, never into unit tests).
/// Each runs the production code paths: the same parser, key selection, verifier and cache.
public enum VerificationBenchmark {
    /// Rates are per second of this thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`), as `openssl speed`
    /// divides by user CPU time: on a shared machine, wall-clock rates also count time the thread was
    /// not running. `wallOperationsPerSecond` is reported beside it.
    public struct Result: Sendable {
        public var name: String
        public var operationsPerSecond: Double
        public var wallOperationsPerSecond: Double
        /// Operations run (the divisor for event counts taken around the run, e.g. `perf stat -p`).
        public var operations: Int = 0
        public var nanosecondsPerOperation: Double { 1e9 / operationsPerSecond }
    }

    /// Runs `batch`, which performs `batchSize` operations, again and again for `seconds`; returns the
    /// rates per CPU second of this thread and per wall-clock second.
    static func measure(_ name: String, seconds: Double, batchSize: Int, _ batch: () throws -> Void) rethrows -> Result {
        let clock = MonotonicClock()
        var ops = 0
        let start = clock.now()
        let cpuStart = threadCPUSeconds()
        let deadline = start.adding(milliseconds: Int(seconds * 1000))
        while clock.now() < deadline {
            try batch()
            ops += batchSize
        }
        let elapsed = Double(clock.now().nanoseconds - start.nanoseconds) / 1e9
        let cpu = threadCPUSeconds() - cpuStart
        return Result(name: name, operationsPerSecond: Double(ops) / cpu, wallOperationsPerSecond: Double(ops) / elapsed, operations: ops)
    }

    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// A signed access token and the issuer/key set that verify it.
    struct Fixture {
        let token: [UInt8]
        let issuer: IssuerConfiguration
        let keys: JWKSet
    }

    static func fixture(_ alg: SigningKey.Algorithm, now: Int64) throws -> Fixture {
        let type: SigningKey.KeyType = alg == .rs256 ? .rsa : (alg == .es256 ? .p256 : .ed25519)
        let key = try SigningKey.generate(type)
        let jwk = key.publicJWK(kid: "bench", alg: alg)
        let jwksJSON = "{\"keys\":[{" + jwk.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",") + "}]}"
        let header = "{\"alg\":\"\(alg.rawValue)\",\"typ\":\"at+jwt\",\"kid\":\"bench\"}"
        let claims = "{\"iss\":\"https://auth.bench\",\"aud\":\"api\",\"sub\":\"user-1\",\"client_id\":\"c\",\"scope\":\"read:port_calls vessels:read\",\"iat\":\(now),\"exp\":\(now + 3600),\"jti\":\"j1\"}"
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(claims.utf8))
        let signature = try key.sign(alg: alg, message: Array(input.utf8))
        let token = Array((input + "." + Base64URL.encode(signature)).utf8)
        let jwsAlg = JWSAlgorithm(rawValue: alg.rawValue)!
        let issuer = try IssuerConfiguration(issuer: "https://auth.bench", audiences: ["api"], allowedAlgorithms: [jwsAlg],
                                             requiredType: "at+jwt")
        return Fixture(token: token, issuer: issuer, keys: try JWKSet(json: Array(jwksJSON.utf8)))
    }

    /// Full cache-miss verification (parse → select key → signature → claims) for `alg`, `seconds` long.
    public static func verify(_ alg: SigningKey.Algorithm, seconds: Double) throws -> Result {
        let clock = MonotonicClock()
        let now = clock.unixSeconds()
        let f = try fixture(alg, now: now)
        let verifier = TokenVerifier()
        return try measure("verify \(alg.rawValue) (cache miss, full checks)", seconds: seconds, batchSize: 64) {
            for _ in 0..<64 {
                let parsed = try verifier.parse(f.token)
                guard case .key(let key) = f.issuer.selectKey(for: parsed.header, in: f.keys) else { fatalError("key") }
                _ = try verifier.verify(parsed, key: key, issuer: f.issuer, now: now)
            }
        }
    }

    /// A verified-token cache hit as the gateway does it: SHA-256 of the token, then the lookup.
    public static func cacheHit(seconds: Double) throws -> Result {
        let clock = MonotonicClock()
        let now = clock.unixSeconds()
        let f = try fixture(.es256, now: now)
        let cache = VerifiedTokenCache<VerifiedToken>()
        let verifier = TokenVerifier()
        let parsed = try verifier.parse(f.token)
        guard case .key(let key) = f.issuer.selectKey(for: parsed.header, in: f.keys) else { fatalError("key") }
        let verified = try verifier.verify(parsed, key: key, issuer: f.issuer, now: now)
        let digestOf = { (t: [UInt8]) -> TokenDigest in
            let d = t.withUnsafeBytes { SHA256Digest(hashing: $0) }
            return TokenDigest(d.words.0, d.words.1, d.words.2, d.words.3)
        }
        cache.insert(verified, for: digestOf(f.token), keyID: "bench", notAfter: Double(now + 3600), now: Double(now), epoch: cache.epoch)
        var misses = 0
        let result = measure("verified-token cache hit (SHA-256 of a \(f.token.count)-byte token + lookup)", seconds: seconds, batchSize: 1024) {
            for _ in 0..<1024 where cache.value(for: digestOf(f.token), now: Double(now)) == nil { misses += 1 }
        }
        precondition(misses == 0, "every lookup must hit")
        return result
    }

    /// Path normalization + route match + scope decision with `routes` routes.
    public static func routes(_ routes: Int, iterations: Int) -> Result {
        _ = RouteTableBenchmark.run(routes: routes, iterations: iterations / 10)   // warm up
        let cpuStart = threadCPUSeconds()
        let ns = RouteTableBenchmark.run(routes: routes, iterations: iterations)
        let cpu = threadCPUSeconds() - cpuStart
        return Result(name: "decision with \(routes) routes (normalize + match + decide)",
                      operationsPerSecond: Double(iterations) / cpu, wallOperationsPerSecond: 1e9 / ns, operations: iterations)
    }
}

/// The signing algorithms the benchmark mints tokens with (re-exported for the executable).
public typealias SigningAlgorithmName = SigningKey.Algorithm

extension VerificationBenchmark {
    /// The gateway's whole token check (`TokenAuthenticator.check`: cache, parse, issuer, JWKS key,
    /// signature, claims, cache insert) over `tokens` in turn, as a configured gateway runs it.
    public static func tokenChecks(_ authenticator: TokenAuthenticator, tokens: [String], seconds: Double) -> (Result, accepted: Int) {
        var accepted = 0, i = 0
        let result = measure("token check over \(tokens.count) distinct tokens", seconds: seconds, batchSize: 16) {
            for _ in 0..<16 {
                if case .verified? = authenticator.check(Substring(tokens[i]), completion: { _ in }) { accepted += 1 }
                i = (i + 1) % tokens.count
            }
        }
        return (result, accepted)
    }
}
