/// Derives a bad-signature token from a valid one.
///
/// **Invariant:** the derived token differs from the original in exactly one character, the *first*
/// character of the signature segment, so the header and payload (the signed input) are untouched and
/// the decoded signature bytes always differ: the first base64url character carries six whole bits of
/// the first signature byte. (Changing the last character instead can land in padding bits that a
/// lenient decoder drops, leaving a token that still verifies.)
public enum BadSignature {
    /// `'A'` becomes `'B'`, any other first signature character becomes `'A'`.
    public static func derive(from token: [UInt8]) throws(TokenMixError) -> [UInt8] {
        try CompactToken.check(token)
        var dots = 0
        var result = token
        for index in result.indices where result[index] == UInt8(ascii: ".") {
            dots += 1
            if dots == 2 {
                let first = index + 1
                result[first] = result[first] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
                return result
            }
        }
        throw TokenMixError(.malformedToken, "a token must have three segments")
    }
}

/// The shape check applied to every token before it is written into a request header.
enum CompactToken {
    /// Three non-empty base64url segments separated by two dots (so no space, CR or LF can reach the
    /// request head).
    static func check(_ token: [UInt8]) throws(TokenMixError) {
        var dots = 0
        var segmentLength = 0
        for byte in token {
            if byte == UInt8(ascii: ".") {
                guard segmentLength > 0 else { break }
                dots += 1
                segmentLength = 0
            } else if isBase64URL(byte) {
                segmentLength += 1
            } else {
                throw TokenMixError(.malformedToken, "a token may hold only base64url characters and dots")
            }
        }
        guard dots == 2, segmentLength > 0 else {
            throw TokenMixError(.malformedToken, "a token must be three non-empty base64url segments")
        }
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }
}
