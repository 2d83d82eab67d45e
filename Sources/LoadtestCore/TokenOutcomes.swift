/// Status classes per token kind, to check that the gateway answered each kind as expected under load
/// (valid → 2xx, expired and bad-signature → 401, wrong-scope → 403).
public struct TokenOutcomes: Sendable, Equatable, Codable {
    /// The columns counted for each kind.
    public enum Outcome: String, CaseIterable, Sendable, Codable {
        /// Any 2xx.
        case success = "2xx"
        /// 401 Unauthorized.
        case unauthorized = "401"
        /// 403 Forbidden.
        case forbidden = "403"
        /// Anything else.
        case other

        /// The column for `status`.
        public init(status: Int) {
            switch status {
            case 200...299: self = .success
            case 401: self = .unauthorized
            case 403: self = .forbidden
            default: self = .other
            }
        }

        var ordinal: Int {
            switch self {
            case .success: return 0
            case .unauthorized: return 1
            case .forbidden: return 2
            case .other: return 3
            }
        }
    }

    /// `counts[kind.ordinal * 4 + outcome.ordinal]`.
    private var counts = Array(repeating: UInt64(0), count: TokenKind.allCases.count * Outcome.allCases.count)

    /// No responses yet.
    public init() {}

    /// The outcome a correct gateway gives each kind.
    public static func expected(for kind: TokenKind) -> Outcome {
        switch kind {
        case .valid: return .success
        case .expired, .badSignature: return .unauthorized
        case .wrongScope: return .forbidden
        }
    }

    /// Counts one response to a request that carried a `kind` token. O(1).
    public mutating func record(kind: TokenKind, status: Int) {
        counts[kind.ordinal * 4 + Outcome(status: status).ordinal] &+= 1
    }

    /// Adds `other`.
    public mutating func merge(_ other: TokenOutcomes) {
        for index in counts.indices { counts[index] &+= other.counts[index] }
    }

    /// Responses to `kind` tokens with `outcome`.
    public func count(kind: TokenKind, outcome: Outcome) -> UInt64 {
        counts[kind.ordinal * 4 + outcome.ordinal]
    }

    /// Responses to `kind` tokens.
    public func total(kind: TokenKind) -> UInt64 {
        Outcome.allCases.reduce(0) { $0 &+ count(kind: kind, outcome: $1) }
    }

    /// Responses whose outcome differs from `expected(for:)` (a correct gateway and upstream give 0).
    public var unexpected: UInt64 {
        TokenKind.allCases.reduce(0) { $0 &+ total(kind: $1) &- count(kind: $1, outcome: Self.expected(for: $1)) }
    }

    /// Whether any token-carrying response was recorded.
    public var isEmpty: Bool { counts.allSatisfy { $0 == 0 } }

    /// A table with one row per kind that got responses; empty string when none did.
    public var text: String {
        guard !isEmpty else { return "" }
        var text = TextFormat.left("token kind", 14) + Outcome.allCases.map { TextFormat.right($0.rawValue, 10) }.joined()
        text += TextFormat.right("expected", 10) + "\n"
        for kind in TokenKind.allCases where total(kind: kind) > 0 {
            text += TextFormat.left(kind.rawValue, 14)
            text += Outcome.allCases.map { TextFormat.right(String(count(kind: kind, outcome: $0)), 10) }.joined()
            text += TextFormat.right(Self.expected(for: kind).rawValue, 10) + "\n"
        }
        if unexpected > 0 { text += "unexpected outcomes: \(unexpected)\n" }
        return text
    }

    /// JSON: `{"valid": {"2xx": 9000, "401": 0, "403": 0, "other": 0}, ...}`, kinds without responses omitted.
    public func encode(to encoder: any Encoder) throws {
        var object: [String: [String: UInt64]] = [:]
        for kind in TokenKind.allCases where total(kind: kind) > 0 {
            object[kind.rawValue] = Dictionary(uniqueKeysWithValues: Outcome.allCases.map { ($0.rawValue, count(kind: kind, outcome: $0)) })
        }
        var container = encoder.singleValueContainer()
        try container.encode(object)
    }

    /// Reads the form `encode(to:)` writes; unknown kinds or outcomes are errors.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let object = try container.decode([String: [String: UInt64]].self)
        for (kindName, row) in object {
            guard let kind = TokenKind(rawValue: kindName) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown token kind")
            }
            for (outcomeName, value) in row {
                guard let outcome = Outcome(rawValue: outcomeName) else {
                    throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown outcome")
                }
                counts[kind.ordinal * 4 + outcome.ordinal] = value
            }
        }
    }
}
