import JOSE
import PortcullisCrypto
import TextCoding

/// PKCE (RFC 7636), S256 only: `plain` is refused because it offers no protection once the
/// authorization request is observed.
enum PKCE {
    /// A verifier is 43–128 characters of `[A-Z a-z 0-9 - . _ ~]` (RFC 7636 §4.1).
    static func isValidVerifier(_ verifier: String) -> Bool {
        (43...128).contains(verifier.utf8.count) && verifier.utf8.allSatisfy(isUnreserved)
    }

    /// An S256 challenge is base64url(SHA-256), i.e. exactly 43 base64url characters.
    static func isValidChallenge(_ challenge: String) -> Bool {
        challenge.utf8.count == 43 && Base64URL.decode(Array(challenge.utf8))?.count == 32
    }

    /// `BASE64URL(SHA256(verifier))`.
    static func challenge(for verifier: String) -> String {
        Base64URL.encode(SHA256Digest(hashing: Array(verifier.utf8)).bytes)
    }

    /// Whether `verifier` answers `challenge`, compared in constant time.
    static func verifies(_ verifier: String, challenge: String) -> Bool {
        ConstantTime.secretsEqual(Array(Self.challenge(for: verifier).utf8), Array(challenge.utf8))
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
