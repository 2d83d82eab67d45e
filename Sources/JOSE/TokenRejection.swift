/// Why a token was refused: one stable code per cause plus a safe human description.
///
/// `code.rawValue` is the 401 reason, the log field and the metric label. `description` goes to
/// `error_description`; it names the cause (and, for time checks, the relevant instant) but
/// never contains token bytes, claim values chosen by the token's author, or secrets.
public struct TokenRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// The cause. Raw values are stable metric labels.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case malformed = "malformed"
        case tokenTooLarge = "token_too_large"
        case jwe = "jwe"
        case algNone = "alg_none"
        case unsupportedAlgorithm = "unsupported_algorithm"
        case algorithmNotAllowed = "algorithm_not_allowed"
        case unknownIssuer = "unknown_issuer"
        case unknownKey = "unknown_key"
        case keyAlgorithmMismatch = "key_algorithm_mismatch"
        case ambiguousKey = "ambiguous_key"
        case badSignature = "bad_signature"
        case expired = "expired"
        case notYetValid = "not_yet_valid"
        case issuedInFuture = "issued_in_future"
        case audienceMismatch = "audience_mismatch"
        case missingClaim = "missing_claim"
        case typMismatch = "typ_mismatch"
        case unsupportedCritical = "unsupported_critical"
        /// Not a JWS, and neither a known personal access token nor accepted by an introspection issuer.
        case unknownToken = "unknown_token"
        /// The issuer's introspection endpoint answered `"active": false` (revoked, expired, unknown).
        case inactive = "inactive"
    }

    /// The precise structural fault behind `.malformed`.
    public enum MalformedReason: String, Sendable, Hashable, CaseIterable {
        case segmentCount = "segment_count"
        case headerEncoding = "header_encoding"
        case headerJSON = "header_json"
        case headerNotObject = "header_not_object"
        case missingAlgorithm = "missing_algorithm"
        case invalidHeaderParameter = "invalid_header_parameter"
        case payloadEncoding = "payload_encoding"
        case claimsJSON = "claims_json"
        case claimsNotObject = "claims_not_object"
        case signatureEncoding = "signature_encoding"
        case emptySignature = "empty_signature"
        case invalidClaimType = "invalid_claim_type"
    }

    /// The cause.
    public let code: Code
    /// Set only for `.malformed`.
    public let malformedReason: MalformedReason?
    /// Safe human text for `error_description` and logs.
    public let description: String
    /// The trusted issuer whose checks refused the token (its configured name, never the raw `iss`
    /// of an untrusted token); nil when no issuer was chosen (malformed token, unknown issuer).
    /// The `issuer` label of denial metrics and the access log.
    public var issuer: String?

    /// A rejection with a fixed description.
    public init(_ code: Code, _ description: String) {
        self.code = code
        self.malformedReason = nil
        self.description = description
    }

    /// A `.malformed` rejection.
    public static func malformed(_ reason: MalformedReason, _ detail: String) -> TokenRejection {
        TokenRejection(code: .malformed, reason: reason, description: "malformed token: \(detail)")
    }

    private init(code: Code, reason: MalformedReason?, description: String) {
        self.code = code
        self.malformedReason = reason
        self.description = description
    }
}
