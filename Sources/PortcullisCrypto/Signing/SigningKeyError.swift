import COpenSSL

/// Why a `SigningKey` operation failed. `code` is stable (for logs and tests); `description`
/// is safe to show and never contains key material.
public struct SigningKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The failure causes, one per cause.
    public enum Code: String, Sendable {
        /// OpenSSL could not generate the key.
        case keyGenerationFailed = "key_generation_failed"
        /// The PEM could not be parsed as a PKCS#8 private key.
        case invalidPEM = "invalid_pem"
        /// The key type is not RSA, P-256 or Ed25519.
        case unsupportedKeyType = "unsupported_key_type"
        /// An RSA key shorter than 2048 bits.
        case weakKey = "weak_key"
        /// The algorithm does not belong to this key type.
        case algorithmKeyMismatch = "algorithm_key_mismatch"
        /// OpenSSL failed to sign.
        case signFailed = "sign_failed"
        /// OpenSSL failed to export the key.
        case exportFailed = "export_failed"
    }

    /// The stable failure code.
    public let code: Code

    /// Creates an error for `code`.
    public init(_ code: Code) { self.code = code }

    /// Creates an error after clearing the OpenSSL error queue (every OpenSSL failure path goes through here).
    static func fromOpenSSL(_ code: Code) -> SigningKeyError {
        ERR_clear_error()
        return SigningKeyError(code)
    }

    /// A safe, human-readable description.
    public var description: String {
        switch code {
        case .keyGenerationFailed: return "key generation failed"
        case .invalidPEM: return "not a PKCS#8 PEM private key"
        case .unsupportedKeyType: return "unsupported key type (expected RSA, P-256 or Ed25519)"
        case .weakKey: return "RSA key shorter than 2048 bits"
        case .algorithmKeyMismatch: return "algorithm does not match the key type"
        case .signFailed: return "signing failed"
        case .exportFailed: return "key export failed"
        }
    }
}
