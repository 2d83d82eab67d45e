import Policy

/// `bearer`: an `Authorization` field value through the Bearer/DPoP extractor.
///
/// Invariants: an extracted token (either scheme) is non-empty, a `b64token` by a naive reference
/// check, and `Bearer <token>` (`DPoP <token>`) extracts it again; the table-driven `isB64Token` equals the reference on the
/// text after the scheme; the deferring parser agrees with the checking one except that it
/// returns the token where the checking one says `invalidToken`; two fields are always
/// `multipleFields`, one field is the same as the value alone.
enum BearerFuzz {
    static func run(_ bytes: [UInt8]) {
        let value = String(decoding: bytes, as: UTF8.self)
        let checked = AuthorizationHeader.parse(value: value)
        let deferred = AuthorizationHeader.parseDeferringTokenSyntax(value: value)
        FuzzCheck.require(AuthorizationHeader.parse(values: [value]) == checked, "one field differs from the value")
        FuzzCheck.require(AuthorizationHeader.parse(values: [value, value]) == .malformed(.multipleFields), "two fields accepted")
        switch (checked, deferred) {
        case (.malformed(.invalidToken), .bearer(let token)), (.malformed(.invalidToken), .dpop(let token)):
            FuzzCheck.require(!AuthorizationHeader.isB64Token(token) && !isB64TokenReference(token), "deferred token is a b64token")
        default:
            FuzzCheck.require(checked == deferred, "checking \(checked) but deferring \(deferred)")
        }
        switch deferred {
        case .bearer(let token), .dpop(let token):
            FuzzCheck.require(AuthorizationHeader.isB64Token(token) == isB64TokenReference(token), "b64token table disagrees on \(token.debugDescription)")
        default: break
        }
        // The same token syntax under both schemes (RFC 6750 §2.1, RFC 9449 §7.1).
        switch checked {
        case .bearer(let token):
            FuzzCheck.require(!token.isEmpty && isB64TokenReference(token), "extracted token is not a b64token")
            FuzzCheck.require(AuthorizationHeader.parse(value: "Bearer " + token) == .bearer(token: token), "Bearer <token> not extracted again")
        case .dpop(let token):
            FuzzCheck.require(!token.isEmpty && isB64TokenReference(token), "extracted DPoP token is not a b64token")
            FuzzCheck.require(AuthorizationHeader.parse(value: "DPoP " + token) == .dpop(token: token), "DPoP <token> not extracted again")
        default: break
        }
    }

    /// RFC 6750: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`, written plainly.
    static func isB64TokenReference(_ token: Substring) -> Bool {
        let bytes = Array(token.utf8)
        var end = bytes.count
        while end > 0 && bytes[end - 1] == UInt8(ascii: "=") { end -= 1 }
        guard end > 0 else { return false }
        return bytes[..<end].allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || "-._~+/".utf8.contains(b)
        }
    }
}
