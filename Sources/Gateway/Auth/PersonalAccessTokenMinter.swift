import Config
import JOSE
import Policy
import TextCoding
import PortcullisCrypto

/// Mints personal access tokens for `portcullis pat create`: 32 random bytes (256 bits) as
/// base64url behind the recognizable prefix `pcl_pat_` (so secret scanners can find leaked ones),
/// and the table entry holding only the token's SHA-256.
public enum PersonalAccessTokenMinter {
    /// A new token (shown once) and the JSON entry to add to the file's `tokens`.
    public struct Minted: Sendable {
        /// The token. Never stored by Portcullis; print it once.
        public let token: String
        /// The validated entry.
        public let entry: PersonalAccessTokenEntry
        /// `entry` as one JSON object line.
        public let entryJSON: String
    }

    /// Mints a token for `name`/`subject` with `scopes`, expiring at `expiresAt` (seconds since the
    /// epoch) when given. The entry is validated exactly as the file loader validates it.
    public static func mint(name: String, subject: String, scopes: [String], expiresAt: Int64?) throws(ConfigError) -> Minted {
        let token = PersonalAccessTokenTable.prefix + Base64URL.encode(SecureRandom.bytes(32))
        let digest = SHA256Digest(hashing: Array(token.utf8)).bytes
        let hex = String(decoding: digest.flatMap { [hexDigit($0 >> 4), hexDigit($0 & 0xF)] }, as: UTF8.self)
        var json: [UInt8] = Array("{\"name\": ".utf8)
        JSONText.appendString(name, to: &json)
        json += Array(", \"sha256\": \"\(hex)\", \"subject\": ".utf8)
        JSONText.appendString(subject, to: &json)
        json += Array(", \"scopes\": [".utf8)
        for (i, scope) in scopes.enumerated() {
            if i > 0 { json += Array(", ".utf8) }
            JSONText.appendString(scope, to: &json)
        }
        json += Array("]".utf8)
        if let expiresAt { json += Array(", \"expires_at\": \"\(Timestamp.rfc3339(expiresAt))\"".utf8) }
        json += Array("}".utf8)
        let entries = try PersonalAccessTokenFile.parse(bytes: Array("{\"tokens\": [".utf8) + json + Array("]}".utf8), path: "entry")
        return Minted(token: token, entry: entries[0], entryJSON: String(decoding: json, as: UTF8.self))
    }

    /// Seconds of a duration such as `90d`, `12h`, `30m` or `45s` (a positive integer and one unit).
    public static func parseDuration(_ text: String) -> Int64? {
        guard let unit = text.last, let value = Int64(text.dropLast()), value > 0 else { return nil }
        let seconds: Int64
        switch unit {
        case "d": seconds = 86_400
        case "h": seconds = 3_600
        case "m": seconds = 60
        case "s": seconds = 1
        default: return nil
        }
        let (product, overflow) = value.multipliedReportingOverflow(by: seconds)
        return overflow || product > 100 * 365 * 86_400 ? nil : product
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10 }
}
