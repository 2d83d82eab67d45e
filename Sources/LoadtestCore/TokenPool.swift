import FoundationEssentials

/// The tokens a run sends, per kind, checked against the mix before the first request.
///
/// Each kind keeps its first `min(distinctTokens, available)` tokens; valid tokens must number at least
/// `distinctTokens` when valid has a share. Bad-signature tokens not supplied are derived from the
/// valid ones (`BadSignature`), so the distinct count carries over.
public struct TokenPool: Sendable {
    /// Tokens per kind, indexed by `TokenKind.allCases` position.
    private let tokens: [[[UInt8]]]

    /// Checks and selects the tokens for `mix`. Token text never appears in errors.
    public init(valid: [[UInt8]], expired: [[UInt8]] = [], wrongScope: [[UInt8]] = [],
                badSignature: [[UInt8]] = [], mix: TokenMix) throws(TokenMixError) {
        for (kind, list) in [(TokenKind.valid, valid), (.expired, expired), (.wrongScope, wrongScope), (.badSignature, badSignature)] {
            for (index, token) in list.enumerated() {
                do { try CompactToken.check(token) } catch {
                    throw TokenMixError(.malformedToken, "\(kind.rawValue) token #\(index + 1): \(error.detail)")
                }
            }
        }
        let distinct = mix.distinctTokens
        if mix.share(of: .valid) > 0, valid.count < distinct {
            throw TokenMixError(.tooFewTokens, "\(valid.count) valid token(s) for \(distinct) distinct tokens")
        }
        var derived = badSignature
        if derived.isEmpty, mix.share(of: .badSignature) > 0 {
            for token in valid.prefix(distinct) { derived.append(try BadSignature.derive(from: token)) }
        }
        let lists = [valid, expired, wrongScope, derived].map { Array($0.prefix(distinct)) }
        for (kind, list) in zip(TokenKind.allCases, lists) where mix.share(of: kind) > 0 && list.isEmpty {
            throw TokenMixError(.missingKind, "the mix gives \(kind.rawValue) a share but no \(kind.rawValue) token is available")
        }
        tokens = lists
    }

    /// Reads a token file: a JSON object whose keys are token kinds (`valid`, `expired`, `wrong-scope`,
    /// `bad-signature`) and whose values are arrays of compact JWTs.
    public static func decodeFile(json: [UInt8], mix: TokenMix) throws(TokenMixError) -> TokenPool {
        let object: [String: [String]]
        do {
            object = try JSONDecoder().decode([String: [String]].self, from: Data(json))
        } catch {
            throw TokenMixError(.invalidTokenFile, "the token file must be a JSON object of kind: [token, ...]")
        }
        var lists: [TokenKind: [[UInt8]]] = [:]
        for (key, values) in object {
            guard let kind = TokenKind(rawValue: key) else {
                throw TokenMixError(.invalidTokenFile, "unknown token kind \"\(key)\" in the token file")
            }
            lists[kind] = values.map { Array($0.utf8) }
        }
        return try TokenPool(valid: lists[.valid] ?? [], expired: lists[.expired] ?? [],
                             wrongScope: lists[.wrongScope] ?? [], badSignature: lists[.badSignature] ?? [], mix: mix)
    }

    /// Number of distinct tokens kept for `kind`.
    public func count(of kind: TokenKind) -> Int {
        tokens[kind.ordinal].count
    }

    /// The token bytes for a scheduled choice. Precondition: the choice's kind has tokens (guaranteed
    /// for choices made by the mix this pool was checked against).
    public func token(for choice: TokenChoice) -> [UInt8] {
        let list = tokens[choice.kind.ordinal]
        return list[choice.index % list.count]
    }
}
