import Config
import JOSE
import Locks

/// The personal access tokens of `personal_access_tokens`: a table keyed by the SHA-256 of each
/// token, read from the configured file (only hashes on disk) and re-read by ``reload()``.
///
/// Security invariants:
/// - a token is looked up by the SHA-256 of the presented bytes, in a hash table: no string
///   comparison against stored secrets, so response time reveals nothing about a stored token
///   (at most how a digest of the attacker's own input hashes, which needs a preimage to use);
///   the full 256-bit digest must match;
/// - the table never holds a token, only digests, and nothing here logs one;
/// - an expired token is refused (`expired`), with the instant, never its name or subject.
public final class PersonalAccessTokenTable: Sendable {
    /// The prefix of tokens minted by `portcullis pat create` (secret scanners can find leaked ones).
    public static let prefix = "pcl_pat_"

    /// One table row: the caller a match becomes, and its expiry.
    struct Row: Sendable {
        let caller: VerifiedCaller
        let expiresAt: Int64?
    }

    /// The table's file.
    public let file: String
    private let identityHeaders: [(header: String, claim: String)]
    private let rows: Locked<[TokenDigest: Row]>

    /// A table from the entries read at configuration load time.
    public init(settings: PersonalAccessTokenSettings, identityHeaders: [(header: String, claim: String)]) {
        file = settings.file
        self.identityHeaders = identityHeaders
        rows = Locked(Self.rows(settings.tokens, identityHeaders: identityHeaders))
    }

    /// The reload hook (SIGHUP): re-reads and validates the file and swaps the table in one step.
    /// On error the current table stays in force and the error (naming the entry) is thrown.
    /// Returns the number of tokens now loaded.
    @discardableResult
    public func reload() throws(ConfigError) -> Int {
        let entries = try PersonalAccessTokenFile.load(path: file)
        let fresh = Self.rows(entries, identityHeaders: identityHeaders)
        rows.withLock { $0 = fresh }
        return fresh.count
    }

    /// Number of tokens loaded.
    public var count: Int { rows.withLock { $0.count } }

    /// The check for the token whose SHA-256 is `digest`: `nil` when it is not in the table.
    func check(_ digest: TokenDigest, now: Int64) -> TokenCheck? {
        guard let row = rows.withLock({ $0[digest] }) else { return nil }
        if let expiresAt = row.expiresAt, now >= expiresAt {
            var expired = TokenRejection(.expired, "personal access token expired at \(Timestamp.rfc3339(expiresAt))")
            expired.issuer = PersonalAccessTokenSettings.issuerName   // the denial's `issuer` label
            return .rejected(expired)
        }
        return .verified(row.caller)
    }

    private static func rows(_ entries: [PersonalAccessTokenEntry],
                             identityHeaders: [(header: String, claim: String)]) -> [TokenDigest: Row] {
        var rows: [TokenDigest: Row] = [:]
        for entry in entries {
            let claims: JSONObject = ["sub": .string(entry.subject), "client_id": .string(entry.name),
                                      "scope": .string(entry.scopes.joined(separator: " "))]
            let token = VerifiedToken(trustedClaims: claims, issuer: PersonalAccessTokenSettings.issuerName,
                                      audiences: [], expiresAt: entry.expiresAt)
            // The authenticator's key: the digest's four big-endian words (`SHA256Digest.words`).
            let h = entry.sha256
            func word(_ at: Int) -> UInt64 { h[at..<at + 8].reduce(0) { $0 << 8 | UInt64($1) } }
            let digest = TokenDigest(word(0), word(8), word(16), word(24))
            rows[digest] = Row(caller: VerifiedCaller(token: token, identityHeaders: identityHeaders), expiresAt: entry.expiresAt)
        }
        return rows
    }
}
