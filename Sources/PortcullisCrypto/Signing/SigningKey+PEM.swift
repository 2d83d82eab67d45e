import COpenSSL

extension SigningKey {
    /// Loads a PKCS#8 PEM private key (`-----BEGIN PRIVATE KEY-----`).
    ///
    /// Accepts RSA (≥ 2048 bits), P-256 and Ed25519 keys; anything else is rejected.
    /// - Throws: `SigningKeyError` `invalid_pem`, `unsupported_key_type` or `weak_key`.
    public convenience init(pkcs8PEM pem: [UInt8]) throws {
        let loaded: OpaquePointer? = pem.withUnsafeBytes { raw -> OpaquePointer? in
            guard let base = raw.baseAddress, raw.count > 0,
                  let bio = BIO_new_mem_buf(base, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let key = loaded else { throw SigningKeyError.fromOpenSSL(.invalidPEM) }
        guard let type = SigningKey.classify(key) else {
            EVP_PKEY_free(key)
            throw SigningKeyError.fromOpenSSL(.unsupportedKeyType)
        }
        if type == .rsa && EVP_PKEY_get_bits(key) < 2048 {
            EVP_PKEY_free(key)
            throw SigningKeyError(.weakKey)
        }
        self.init(owning: key, keyType: type)
    }

    /// Exports the private key as PKCS#8 PEM (unencrypted: treat the bytes as a secret,
    /// write them with mode 0600).
    public func pkcs8PEM() throws -> [UInt8] {
        guard let bio = BIO_new(BIO_s_mem()) else { throw SigningKeyError.fromOpenSSL(.exportFailed) }
        defer { BIO_free(bio) }
        guard PEM_write_bio_PrivateKey(bio, pkey, nil, nil, 0, nil, nil) == 1 else {
            throw SigningKeyError.fromOpenSSL(.exportFailed)
        }
        let pending = Int(BIO_ctrl_pending(bio))
        guard pending > 0 else { throw SigningKeyError.fromOpenSSL(.exportFailed) }
        var out = [UInt8](repeating: 0, count: pending)
        let read = out.withUnsafeMutableBytes { BIO_read(bio, $0.baseAddress, Int32(pending)) }
        guard read == Int32(pending) else { throw SigningKeyError.fromOpenSSL(.exportFailed) }
        return out
    }

    /// The key type of a loaded `EVP_PKEY`, or nil when Portcullis does not sign with it.
    private static func classify(_ key: OpaquePointer) -> KeyType? {
        if EVP_PKEY_is_a(key, "RSA") == 1 { return .rsa }
        if EVP_PKEY_is_a(key, "ED25519") == 1 { return .ed25519 }
        if EVP_PKEY_is_a(key, "EC") == 1 {
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            let ok = name.withUnsafeMutableBufferPointer {
                EVP_PKEY_get_utf8_string_param(key, "group", $0.baseAddress, $0.count, &length)
            }
            guard ok == 1 else { return nil }
            let group = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return group == "prime256v1" || group == "P-256" ? .p256 : nil
        }
        return nil
    }
}
