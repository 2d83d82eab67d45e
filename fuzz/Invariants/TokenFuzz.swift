import JOSE
import TextCoding

/// `jose-token`: a compact JWS through the whole verification path (parse, issuer lookup, key
/// selection, signature, claims) with a fixed key set: the three issuers of the JOSE test
/// fixtures (`Tests/JOSETests/Fixtures/fixtures.json`: RSA, RSA-PSS, EC P-256/384/521 and
/// Ed25519 keys, an HMAC issuer and an issuer requiring `typ: at+jwt`) at the fixtures' `now`.
///
/// Invariants: verifying twice gives the same outcome (no state leaks between calls, e.g. the
/// header memo); a rejection's description never contains a token segment; a token that
/// verifies no longer verifies after any single-byte change (every position, flipped low bit).
enum TokenFuzz {
    struct KeySet: Sendable {
        let now: Int64
        let issuers: [String: TrustedIssuer]
    }

    static let keySet: KeySet = loadKeySet()

    static func run(_ bytes: [UInt8]) {
        let first = outcome(bytes)
        FuzzCheck.require(outcome(bytes) == first, "second verification differs")
        switch first {
        case .failure(let rejection):
            for segment in bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: true) where segment.count >= 12 {
                FuzzCheck.require(!contains(Array(rejection.description.utf8), Array(segment)),
                                  "rejection \(rejection.code) echoes a token segment")
            }
        case .success:
            var mutated = bytes
            for i in bytes.indices {
                mutated[i] ^= 0x01
                if case .success = outcome(mutated) {
                    FuzzCheck.require(false, "still verifies with byte \(i) changed")
                }
                mutated[i] = bytes[i]
            }
        }
    }

    /// Whether `needle` occurs in `haystack`, byte for byte (Foundation's `String.contains` treats
    /// strings of NULs as found anywhere: the first "finding" of this target was that).
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    /// The verification outcome, comparable: the verified claims' issuer/subject/scopes or the rejection.
    static func outcome(_ token: [UInt8]) -> Result<String, TokenRejection> {
        do throws(TokenRejection) {
            let verified = try TokenVerifier().verify(token, now: keySet.now) { keySet.issuers[$0] }
            return .success("\(verified.issuer) \(verified.subject ?? "-") \(verified.scopeText) \(verified.keyID ?? "-")")
        } catch {
            return .failure(error)
        }
    }

    private static func loadKeySet() -> KeySet {
        let root = try! JSONParser.parse(FuzzFiles.read("Tests/JOSETests/Fixtures/fixtures.json"))
        var issuers: [String: TrustedIssuer] = [:]
        for entry in root["issuers"]!.arrayValue! {
            let name = entry["issuer"]!.stringValue!
            let configuration = try! IssuerConfiguration(
                issuer: name,
                audiences: entry["audiences"]?.stringArrayValue ?? [],
                allowedAlgorithms: Set(entry["algorithms"]!.stringArrayValue!.map { JWSAlgorithm(rawValue: $0)! }),
                clockSkewSeconds: Int64(entry["clock_skew_seconds"]!.numberValue!),
                requiredClaims: entry["required_claims"]?.stringArrayValue ?? [],
                requiredType: entry["require_typ"]?.stringValue,
                sharedSecret: entry["shared_secret"]?.stringValue.map { Base64URL.decode($0)! })
            issuers[name] = TrustedIssuer(configuration: configuration, keys: try! JWKSet(document: entry["jwks"]!))
        }
        return KeySet(now: Int64(root["now"]!.numberValue!), issuers: issuers)
    }
}
