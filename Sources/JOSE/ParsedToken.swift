/// A structurally valid compact JWS whose signature has NOT been checked yet (step 1 of the
/// verification flow). Nothing in it may be trusted except for choosing the issuer and key.
public struct ParsedToken: Sendable {
    /// The whole token, copied once from the request.
    public let bytes: [UInt8]
    /// Length of `header.payload` (the JWS signing input, RFC 7515 §5.2): always a prefix of
    /// `bytes`, never re-encoded, so what is verified is exactly what was received.
    public let signingInputLength: Int
    /// The decoded signature.
    public let signature: [UInt8]
    /// The decoded protected header.
    public let header: JOSEHeader
    /// The decoded claims (unverified).
    public let claims: JSONObject

    /// The unverified `iss`, for the gateway's exact-match issuer lookup (`nil` when absent or
    /// not a string).
    public var issuer: String? { claims[.iss]?.stringValue }

    /// Calls `body` with the signing input, a slice of the original token bytes.
    public func withSigningInput<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0..<signingInputLength])) }
    }
}
