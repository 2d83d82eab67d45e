/// A member name's identity for lookup and duplicate detection: its UTF-8 length and first 16
/// bytes packed into two words, so nearly every comparison is three integer compares.
///
/// Security invariant: names are equal exactly when their UTF-8 bytes are equal (RFC 7515 §4 /
/// RFC 8259 §8.3: member names compare as code-point sequences after unescaping). Swift's
/// `String ==` (canonical equivalence) is deliberately not used: it is both slower and looser
/// than what any other JSON parser a token may reach does, so duplicate detection and lookup
/// here agree byte for byte with them. Names longer than 16 bytes are confirmed with a full
/// byte comparison after the packed prefix matches.
struct JSONMemberName: Sendable, Equatable {
    let count: Int
    let low: UInt64
    let high: UInt64

    /// The packed form of `bytes`.
    init(_ bytes: UnsafeRawBufferPointer) {
        count = bytes.count
        var w: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &w) { out in
            let n = Swift.min(bytes.count, 16)
            if n > 0 { out.baseAddress!.copyMemory(from: bytes.baseAddress!, byteCount: n) }
        }
        low = w.0
        high = w.1
    }

    /// The packed form of a string's UTF-8.
    init(_ name: String) {
        self = name.utf8.withContiguousStorageIfAvailable { JSONMemberName(UnsafeRawBufferPointer($0)) }
            ?? Array(name.utf8).withUnsafeBytes { JSONMemberName($0) }
    }
}

/// A member name the verifier reads on every token, packed once.
struct KnownName: Sendable {
    let name: String
    let key: JSONMemberName

    init(_ name: String) {
        self.name = name
        key = JSONMemberName(name)
    }

    static let alg = KnownName("alg"), kid = KnownName("kid"), typ = KnownName("typ"), crit = KnownName("crit")
    static let jku = KnownName("jku"), x5u = KnownName("x5u"), jwk = KnownName("jwk"), x5c = KnownName("x5c")
    static let iss = KnownName("iss"), sub = KnownName("sub"), aud = KnownName("aud")
    static let exp = KnownName("exp"), nbf = KnownName("nbf"), iat = KnownName("iat")
    static let scope = KnownName("scope"), scp = KnownName("scp")
    static let clientID = KnownName("client_id"), azp = KnownName("azp")
}

extension JSONObject {
    /// Lookup of a well-known member (no packing per call).
    subscript(known: KnownName) -> JSONValue? { self[known.key, known.name] }
}
