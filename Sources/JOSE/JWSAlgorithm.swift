import PortcullisCrypto

/// A JWS `alg` Portcullis can verify (RFC 7518 §3.1, RFC 8037 §3.1).
///
/// Security invariant: `none` is deliberately not a member. A header naming it (in any letter
/// case) is rejected by the parser with its own code (`alg_none`), before any key is consulted.
public enum JWSAlgorithm: String, Sendable, Hashable, CaseIterable {
    case hs256 = "HS256", hs384 = "HS384", hs512 = "HS512"
    case rs256 = "RS256", rs384 = "RS384", rs512 = "RS512"
    case ps256 = "PS256", ps384 = "PS384", ps512 = "PS512"
    case es256 = "ES256", es384 = "ES384", es512 = "ES512"
    case eddsa = "EdDSA"

    /// The public-key algorithm, or `nil` for the HMAC family.
    public var signatureAlgorithm: SignatureAlgorithm? {
        switch self {
        case .hs256, .hs384, .hs512: return nil
        case .rs256: return .rs256
        case .rs384: return .rs384
        case .rs512: return .rs512
        case .ps256: return .ps256
        case .ps384: return .ps384
        case .ps512: return .ps512
        case .es256: return .es256
        case .es384: return .es384
        case .es512: return .es512
        case .eddsa: return .eddsa
        }
    }

    /// One bit per algorithm (its position in `allCases`), for allow-list masks (see
    /// `IssuerConfiguration.allowedAlgorithmMask`).
    var bit: UInt32 {
        UInt32(1) << UInt32(Self.allCases.firstIndex(of: self)!)
    }

    /// The HMAC hash for HS*, else `nil`.
    public var hmacHash: HashFunction? {
        switch self {
        case .hs256: return .sha256
        case .hs384: return .sha384
        case .hs512: return .sha512
        default: return nil
        }
    }

    /// Whether this is a symmetric (shared-secret) algorithm.
    public var isSymmetric: Bool { hmacHash != nil }
}
