/// How tokens of one trusted issuer are verified. Built once at configuration load; every
/// consistency rule is checked in `init` so a bad configuration fails at startup, not per request.
public struct IssuerConfiguration: Sendable {
    /// The exact `iss` value (compared byte for byte).
    public let issuer: String
    /// Accepted audiences; when non-empty, the token's `aud` must contain one of them.
    public let audiences: [String]
    /// The algorithm allow-list. A header `alg` outside it is rejected before any key lookup.
    public let allowedAlgorithms: Set<JWSAlgorithm>
    /// `allowedAlgorithms` as one bit per `JWSAlgorithm.allCases` position: the per-token check is
    /// a mask test instead of hashing into a `Set`.
    let allowedAlgorithmMask: UInt32
    /// Leeway for `exp`, `nbf` and `iat`, in seconds. Default 60.
    public let clockSkewSeconds: Int64
    /// Whether `exp` must be present. Default `true`.
    public let requireExpiration: Bool
    /// Claims that must be present (and not `null`).
    public let requiredClaims: [String]
    /// Required `typ` (e.g. `at+jwt`, RFC 9068), compared case-insensitively; the media-type
    /// form `application/<typ>` is accepted too. `nil` = no requirement.
    public let requiredType: String?
    /// The shared secret for HS* algorithms; `nil` when the issuer uses only public keys.
    public let sharedSecret: SharedSecret?

    /// Validates and builds a configuration.
    ///
    /// Rules: `issuer` non-empty; at least one algorithm; HS* allowed only together with a shared
    /// secret of at least the hash length (RFC 7518 §3.2: 32/48/64 bytes); a secret only with HS*
    /// allowed; clock skew 0...3600 s.
    public init(issuer: String, audiences: [String] = [], allowedAlgorithms: Set<JWSAlgorithm>,
                clockSkewSeconds: Int64 = 60, requireExpiration: Bool = true, requiredClaims: [String] = [],
                requiredType: String? = nil, sharedSecret: [UInt8]? = nil) throws(IssuerConfigurationError) {
        guard !issuer.isEmpty else { throw IssuerConfigurationError(.emptyIssuer, "issuer must not be empty") }
        guard !allowedAlgorithms.isEmpty else { throw IssuerConfigurationError(.noAlgorithms, "at least one algorithm is required") }
        guard (0...3600).contains(clockSkewSeconds) else {
            throw IssuerConfigurationError(.clockSkewOutOfRange, "clock skew must be 0...3600 seconds")
        }
        let symmetric = allowedAlgorithms.filter(\.isSymmetric)
        if let secret = sharedSecret {
            guard !symmetric.isEmpty else {
                throw IssuerConfigurationError(.secretWithoutSymmetricAlgorithm, "a shared secret needs an HS* algorithm")
            }
            let needed = symmetric.compactMap { $0.hmacHash?.digestLength }.max() ?? 0
            guard secret.count >= needed else {
                throw IssuerConfigurationError(.secretTooShort, "shared secret must be at least \(needed) bytes")
            }
        } else if !symmetric.isEmpty {
            throw IssuerConfigurationError(.symmetricAlgorithmWithoutSecret, "HS* algorithms need a shared secret")
        }
        self.issuer = issuer
        self.audiences = audiences
        self.allowedAlgorithms = allowedAlgorithms
        allowedAlgorithmMask = allowedAlgorithms.reduce(0) { $0 | $1.bit }
        self.clockSkewSeconds = clockSkewSeconds
        self.requireExpiration = requireExpiration
        self.requiredClaims = requiredClaims
        self.requiredType = requiredType
        self.sharedSecret = sharedSecret.map(SharedSecret.init)
    }
}

/// A configuration rule that an `IssuerConfiguration` broke.
public struct IssuerConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stable cause.
    public enum Code: String, Sendable {
        case emptyIssuer = "empty_issuer"
        case noAlgorithms = "no_algorithms"
        case clockSkewOutOfRange = "clock_skew_out_of_range"
        case symmetricAlgorithmWithoutSecret = "hs_without_secret"
        case secretWithoutSymmetricAlgorithm = "secret_without_hs"
        case secretTooShort = "secret_too_short"
    }

    public let code: Code
    public let description: String

    init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}

/// An HMAC key. Its `description` is redacted so it never reaches a log by interpolation.
public struct SharedSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var description: String { "SharedSecret(<redacted>)" }
    public var debugDescription: String { description }
}
