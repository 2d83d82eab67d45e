/// The kinds of bearer token a run sends, each expecting a different answer from the gateway.
public enum TokenKind: String, CaseIterable, Sendable, Codable, Comparable {
    /// Signed by the issuer, in date, with the route's scope: expect 2xx.
    case valid
    /// Signed by the issuer but past `exp`: expect 401.
    case expired
    /// Valid but lacking the route's scope: expect 403.
    case wrongScope = "wrong-scope"
    /// A valid token with one signature character changed: expect 401.
    case badSignature = "bad-signature"

    /// Position in `allCases` (array index for per-kind tables on the hot path).
    public var ordinal: Int {
        switch self {
        case .valid: return 0
        case .expired: return 1
        case .wrongScope: return 2
        case .badSignature: return 3
        }
    }

    /// Declaration order.
    public static func < (lhs: TokenKind, rhs: TokenKind) -> Bool { lhs.ordinal < rhs.ordinal }
}
