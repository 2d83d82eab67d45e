/// Shares of token kinds, a count of distinct tokens per kind, and the deterministic schedule of which
/// token the `n`th token-carrying request uses.
///
/// The kinds are interleaved by a `WeightedPicker`; within a kind, tokens are used in turn, so with
/// `distinctTokens = N` each token of a kind is reused every N requests of that kind. A count larger
/// than the gateway's verification cache measures cache misses; 1 measures hits.
public struct TokenMix: Sendable, Equatable {
    /// Share per kind, in `TokenKind` declaration order; zero shares are kept for reports.
    public let shares: [(kind: TokenKind, share: Int)]
    /// How many distinct tokens of each kind to rotate through.
    public let distinctTokens: Int
    /// Kinds with a positive share, indexed by the picker's choices.
    private let activeKinds: [TokenKind]
    private let picker: WeightedPicker
    /// For each cycle position: how many earlier positions of the cycle chose the same kind.
    private let ordinalInCycle: [UInt64]
    /// For each active kind: how many times it occurs per cycle.
    private let perCycle: [UInt64]

    /// The default: valid tokens only, one distinct token.
    public static let allValid = try! TokenMix(shares: [.valid: 1], distinctTokens: 1)

    /// Builds a mix. Shares must be in 0...10000 (so the picker's cycle stays small) with a positive total; `distinctTokens` in 1...1000000.
    public init(shares: [TokenKind: Int], distinctTokens: Int) throws(TokenMixError) {
        guard shares.values.allSatisfy({ (0...10_000).contains($0) }) else {
            throw TokenMixError(.invalidShare, "each share must be an integer in 0...10000")
        }
        guard shares.values.contains(where: { $0 > 0 }) else {
            throw TokenMixError(.noShares, "at least one share must be positive")
        }
        guard (1...1_000_000).contains(distinctTokens) else {
            throw TokenMixError(.invalidDistinctCount, "the distinct-token count must be in 1...1000000")
        }
        self.shares = TokenKind.allCases.map { ($0, shares[$0] ?? 0) }
        self.distinctTokens = distinctTokens
        let active = self.shares.filter { $0.share > 0 }
        activeKinds = active.map(\.kind)
        picker = WeightedPicker(weights: active.map(\.share))
        var seen = Array(repeating: UInt64(0), count: active.count)
        var ordinals: [UInt64] = []
        ordinals.reserveCapacity(picker.cycle.count)
        for choice in picker.cycle {
            ordinals.append(seen[choice])
            seen[choice] += 1
        }
        ordinalInCycle = ordinals
        perCycle = seen
    }

    /// Parses `valid=90,expired=5,wrong-scope=3,bad-signature=2` (kinds not named get share 0).
    public static func parseShares(_ text: String) throws(TokenMixError) -> [TokenKind: Int] {
        var result: [TokenKind: Int] = [:]
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw TokenMixError(.invalidSyntax, "expected kind=share[,kind=share...], e.g. valid=90,expired=10")
            }
            guard let kind = TokenKind(rawValue: String(parts[0])) else {
                throw TokenMixError(.unknownKind, "unknown token kind \"\(parts[0])\" (valid, expired, wrong-scope, bad-signature)")
            }
            guard result[kind] == nil else {
                throw TokenMixError(.duplicateKind, "token kind \(kind.rawValue) is given twice")
            }
            guard let share = Int(parts[1]), (0...10_000).contains(share) else {
                throw TokenMixError(.invalidShare, "the share of \(kind.rawValue) must be an integer in 0...10000")
            }
            result[kind] = share
        }
        return result
    }

    /// The share of `kind` (0 if absent).
    public func share(of kind: TokenKind) -> Int {
        shares.first { $0.kind == kind }?.share ?? 0
    }

    /// Which token the `n`th token-carrying request (0-based) uses: its kind, and the index of the token
    /// among the `distinctTokens` of that kind (the kind's own request count modulo `distinctTokens`). O(1).
    public func choice(forSequence n: UInt64) -> TokenChoice {
        let length = UInt64(ordinalInCycle.count)
        let position = Int(n % length)
        let active = picker.cycle[position]
        let ordinal = (n / length) &* perCycle[active] &+ ordinalInCycle[position]
        return TokenChoice(kind: activeKinds[active], index: Int(ordinal % UInt64(distinctTokens)))
    }

    /// Compares shares and distinct count.
    public static func == (lhs: TokenMix, rhs: TokenMix) -> Bool {
        lhs.distinctTokens == rhs.distinctTokens && lhs.shares.map(\.share) == rhs.shares.map(\.share)
    }
}

/// The token a request uses: a kind, and an index among that kind's distinct tokens.
public struct TokenChoice: Sendable, Equatable, Hashable {
    /// The kind of token.
    public let kind: TokenKind
    /// Index in `0..<distinctTokens`.
    public let index: Int

    /// Memberwise initializer.
    public init(kind: TokenKind, index: Int) {
        self.kind = kind
        self.index = index
    }
}
