/// A structurally valid compact JWS whose signature has NOT been checked yet (step 1 of the
/// verification flow). Nothing in it may be trusted except for choosing the issuer and key.
public struct ParsedToken: Sendable {
    /// `header.payload` as received (the JWS signing input, RFC 7515 §5.2: never re-encoded, so
    /// what is verified is exactly what was received), the decoded payload (read by `claims`),
    /// then the decoded signature: one allocation for all three.
    private let storage: [UInt8]
    /// Length of `header.payload`, the prefix of `storage`.
    public let signingInputLength: Int
    /// Where the decoded signature starts in `storage` (it runs to the end).
    private let signatureStart: Int
    /// The decoded protected header.
    public let header: JOSEHeader
    /// The decoded claims (unverified).
    public let claims: ClaimSet

    init(storage: [UInt8], signingInputLength: Int, signatureStart: Int, header: JOSEHeader, claims: ClaimSet) {
        precondition(signingInputLength <= signatureStart && signatureStart <= storage.count)
        self.storage = storage
        self.signingInputLength = signingInputLength
        self.signatureStart = signatureStart
        self.header = header
        self.claims = claims
    }

    /// The unverified `iss`, for the gateway's exact-match issuer lookup (`nil` when absent or
    /// not a string).
    public var issuer: String? { claims[.iss]?.stringValue }

    /// Whether the unverified `iss` is a string of exactly `name`'s bytes (compared in place: no
    /// string is built).
    public func hasIssuer(_ name: String) -> Bool { claims.string(.iss, equals: name) == true }

    /// Calls `body` with the signing input, a copy of the original token bytes.
    public func withSigningInput<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        storage.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0..<signingInputLength])) }
    }

    /// Calls `body` with the signing input and the decoded signature, both in place.
    func withSigningInputAndSignature<R>(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> R) -> R {
        storage.withUnsafeBytes {
            body(UnsafeRawBufferPointer(rebasing: $0[0..<signingInputLength]), UnsafeRawBufferPointer(rebasing: $0[signatureStart...]))
        }
    }
}
