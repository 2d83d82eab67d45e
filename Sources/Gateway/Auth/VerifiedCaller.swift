import HTTP1
import JOSE

/// A verified token as the gateway forwards it: the token, plus the identity header lines its claims
/// produce under this gateway's `identity_headers`, serialized once when the token is verified.
///
/// The verified-token cache holds callers, so a cache hit appends one ready byte block to the
/// upstream head instead of looking claims up and building header strings on every request.
public final class VerifiedCaller: Sendable {
    public let token: VerifiedToken
    /// `Name: value CRLF` for each identity header whose claim has a non-empty value, in
    /// `identity_headers` order, sanitized like every field the serializer writes.
    public let identityFields: [UInt8]
    /// RFC 8705: the token's `cnf` `x5t#S256` (the client certificate it is bound to), read once at
    /// verification. `.unbound` when the token has none; a member that is not a string binds the
    /// token to no certificate at all (`.bound([])`, which nothing matches).
    public let certificateBinding: CertificateBinding
    /// `cnf.jkt` (RFC 9449 §6): the thumbprint of the key the token is bound to; such a token is
    /// accepted only with the `DPoP` scheme and a proof signed by that key, on every request.
    public let dpopThumbprint: String?

    public init(token: VerifiedToken, identityHeaders: [(header: String, claim: String)]) {
        self.token = token
        certificateBinding = CertificateBinding(confirmation: token.claim("cnf"))
        dpopThumbprint = token.claim("cnf")?.objectValue?["jkt"]?.stringValue
        var fields: [UInt8] = []
        // Room for the usual lines (name, ~40-byte value), so the block is allocated once.
        if !identityHeaders.isEmpty { fields.reserveCapacity(identityHeaders.count * 64) }
        for (header, claim) in identityHeaders {
            if Self.isScopeClaim(claim) {
                // The scopes written space-separated straight into the block (no joined string).
                if !token.scopes.isEmpty { HTTPSerializer.writeField(header, into: &fields) { Self.appendScopes(token.scopes, to: &$0) } }
            } else if let value = Self.claimValue(claim, of: token), !value.isEmpty {
                HTTPSerializer.writeField(header, value, into: &fields)
            }
        }
        identityFields = fields
    }

    private static func isScopeClaim(_ claim: String) -> Bool { claim == "scope" || claim == "scp" }

    /// `scopes` joined by single spaces, as `VerifiedToken.scopeText` is.
    private static func appendScopes(_ scopes: [String], to out: inout [UInt8]) {
        for (i, scope) in scopes.enumerated() {
            if i > 0 { out.append(UInt8(ascii: " ")) }
            out.append(contentsOf: scope.utf8)
        }
    }

    /// The header value for `claim`: `scope` = granted scopes space-joined, `client_id` falls back to
    /// `azp`, other claims when they are strings, numbers or booleans.
    static func claimValue(_ claim: String, of token: VerifiedToken) -> String? {
        switch claim {
        case "scope", "scp": return token.scopeText
        case "client_id": return token.clientID
        case "sub": return token.subject
        default:
            switch token.claim(claim) {
            case .string(let s)?: return s
            case .number(let n)?: return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
            case .bool(let b)?: return b ? "true" : "false"
            default: return nil
            }
        }
    }
}
