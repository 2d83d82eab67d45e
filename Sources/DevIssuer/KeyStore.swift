import Foundation
import PortcullisCrypto

/// Loads the issuer's two signing keys from a directory, or generates and saves them.
///
/// Files: `rs256.pem` (RSA) and `es256.pem` (P-256), PKCS#8 PEM, written with mode 0600 inside a
/// directory created with mode 0700. Key bytes are never logged.
enum KeyStore {
    /// Fresh RS256 and ES256 keys.
    static func generate() throws -> (rs256: SigningKey, es256: SigningKey) {
        (try SigningKey.generate(.rsa), try SigningKey.generate(.p256))
    }

    /// Keys from `directory`, generating and saving whichever file is missing.
    static func loadOrCreate(directory: String) throws -> (rs256: SigningKey, es256: SigningKey) {
        let files = FileManager.default
        do {
            try files.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                      attributes: [.posixPermissions: 0o700])
        } catch {
            throw DevIssuerConfigurationError(.keyStorage, "cannot create the keys directory")
        }
        let rs256 = try loadOrCreate(path: directory + "/rs256.pem", type: .rsa)
        let es256 = try loadOrCreate(path: directory + "/es256.pem", type: .p256)
        return (rs256, es256)
    }

    private static func loadOrCreate(path: String, type: SigningKey.KeyType) throws -> SigningKey {
        let files = FileManager.default
        if let contents = files.contents(atPath: path) {
            guard let key = try? SigningKey(pkcs8PEM: [UInt8](contents)), key.keyType == type else {
                throw DevIssuerConfigurationError(.keyStorage, "\(path) is not a PKCS#8 \(type.rawValue) private key")
            }
            return key
        }
        let key = try SigningKey.generate(type)
        let pem = try key.pkcs8PEM()
        guard files.createFile(atPath: path, contents: Data(pem), attributes: [.posixPermissions: 0o600]) else {
            throw DevIssuerConfigurationError(.keyStorage, "cannot write \(path)")
        }
        return key
    }
}
