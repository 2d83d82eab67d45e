/// The protected header of a compact JWS, as far as verification needs it.
///
/// A final class of constants: a header remembered by `HeaderMemo` is handed to each token with
/// one retain instead of a copy of every field.
public final class JOSEHeader: Sendable {
    /// Header parameters that point at or embed keys (`jku`, `x5u`, `jwk`, `x5c`).
    /// Security invariant: they are recorded for logging only and never used to find a key;
    /// keys come exclusively from the issuer's configured JWKS or shared secret.
    public enum EmbeddedKeyParameter: String, Sendable, Hashable, CaseIterable {
        case jku, x5u, jwk, x5c
    }

    /// `alg`.
    public let algorithm: JWSAlgorithm
    /// `kid`, if present (must be a string).
    public let keyID: String?
    /// `typ`, if present (must be a string).
    public let type: String?
    /// `crit`, if present: a non-empty array of strings (RFC 7515 §4.1.11).
    public let critical: [String]?
    /// The `jwk` member when it is an object. Security invariant: never used to verify an access
    /// token; only a DPoP proof (RFC 9449) is verified with its own embedded public key, and then
    /// bound to the token by the key's thumbprint (`cnf.jkt`).
    public let embeddedJWK: JSONObject?
    /// Key-bearing parameters present in the header (ignored for key selection).
    public var embeddedKeyParameters: Set<EmbeddedKeyParameter> {
        Set(EmbeddedKeyParameter.allCases.enumerated().filter { embeddedMask & (1 << $0.offset) != 0 }.map(\.element))
    }
    private let embeddedMask: UInt8

    /// Reads the header object. Throws `.algNone` for `none` in any letter case,
    /// `.unsupportedAlgorithm` for other unknown names, `.malformed` for wrong member types.
    init(_ members: JSONObject) throws(TokenRejection) {
        guard let algValue = members[.alg] else {
            throw .malformed(.missingAlgorithm, "header has no alg")
        }
        guard let alg = algValue.stringValue else {
            throw .malformed(.invalidHeaderParameter, "alg is not a string")
        }
        if Self.isNone(alg) {
            throw TokenRejection(.algNone, "unsecured tokens (alg none) are not accepted")
        }
        guard let algorithm = Self.algorithm(named: alg) else {
            throw TokenRejection(.unsupportedAlgorithm, "unsupported signature algorithm")
        }
        self.algorithm = algorithm
        keyID = try Self.optionalString(members, .kid)
        type = try Self.optionalString(members, .typ)
        if let crit = members[.crit] {
            guard let names = crit.stringArrayValue, !names.isEmpty else {
                throw .malformed(.invalidHeaderParameter, "crit is not a non-empty array of strings")
            }
            critical = names
        } else {
            critical = nil
        }
        var mask: UInt8 = 0
        // Bit order follows `EmbeddedKeyParameter.allCases`: jku, x5u, jwk, x5c.
        if members[.jku] != nil { mask |= 1 }
        if members[.x5u] != nil { mask |= 2 }
        if members[.jwk] != nil { mask |= 4 }
        embeddedJWK = members[.jwk]?.objectValue
        if members[.x5c] != nil { mask |= 8 }
        embeddedMask = mask
    }

    /// Every algorithm with its packed name (exact bytes, case-sensitive as RFC 7515 §4.1.1 requires).
    private static let algorithmNames: [(JSONMemberName, JWSAlgorithm)] = JWSAlgorithm.allCases.map { (JSONMemberName($0.rawValue), $0) }

    /// The algorithm whose name is exactly `name` (integer compares instead of a string switch).
    static func algorithm(named name: String) -> JWSAlgorithm? {
        let packed = JSONMemberName(name)
        guard packed.count <= 16 else { return nil }
        for (key, alg) in algorithmNames where key == packed { return alg }
        return nil
    }

    /// `none` in any ASCII letter case (without Unicode case mapping).
    private static func isNone(_ alg: String) -> Bool {
        let utf8 = alg.utf8
        guard utf8.count == 4 else { return false }
        return zip(utf8, "none".utf8).allSatisfy { $0 | 0x20 == $1 }
    }

    private static func optionalString(_ m: JSONObject, _ name: KnownName) throws(TokenRejection) -> String? {
        guard let v = m[name] else { return nil }
        guard let s = v.stringValue else { throw .malformed(.invalidHeaderParameter, "\(name.name) is not a string") }
        return s
    }
}
