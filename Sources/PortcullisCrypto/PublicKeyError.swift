/// Why public key material was refused. `code` is stable (log field / metric label);
/// `description` is safe human text and never contains key bytes.
public struct PublicKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stable cause of a key refusal.
    public enum Code: String, Sendable, Hashable {
        /// RSA modulus below 2048 bits (or above the 16384-bit ceiling).
        case rsaModulusSize = "rsa_modulus_size"
        /// RSA public exponent even, 1, or absurdly large.
        case rsaExponent = "rsa_exponent"
        /// EC coordinate not exactly the curve's coordinate length.
        case coordinateLength = "coordinate_length"
        /// EC point not on the curve (or the point at infinity).
        case pointNotOnCurve = "point_not_on_curve"
        /// Ed25519 public key not exactly 32 bytes.
        case ed25519KeyLength = "ed25519_key_length"
        /// PEM that is not a SubjectPublicKeyInfo of a supported type.
        case unsupportedKey = "unsupported_key"
        /// OpenSSL refused the material for another reason.
        case invalidKey = "invalid_key"
    }

    /// The stable cause.
    public let code: Code
    /// Safe human-readable detail.
    public let description: String

    init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}
