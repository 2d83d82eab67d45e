import COpenSSL

/// HMAC-SHA-256/384/512 (RFC 2104) for HS* tokens of issuers configured with a shared secret.
public enum HMAC {
    /// The authentication code of `message` under `key`.
    public static func authenticationCode(_ hash: HashFunction, key: UnsafeRawBufferPointer,
                                          message: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: hash.digestLength)
        var length: UInt32 = 0
        // A zero-length key still needs a valid pointer for OpenSSL.
        var empty: UInt8 = 0
        let made = out.withUnsafeMutableBufferPointer { o in
            withUnsafeMutableBytes(of: &empty) { dummy in
                COpenSSL.HMAC(hash.evpMD, key.baseAddress ?? UnsafeRawPointer(dummy.baseAddress!), Int32(key.count),
                              message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count,
                              o.baseAddress, &length)
            }
        }
        if made == nil || Int(length) != hash.digestLength {
            OpenSSLErrorQueue.clear()
            // Unreachable with the default provider; a tag of zeros can never match (see isValid).
            return []
        }
        return out
    }

    /// Whether `tag` is the authentication code of `message` under `key`, compared in
    /// constant time (`CRYPTO_memcmp`) so timing reveals nothing about how many bytes matched.
    public static func isValid(_ tag: UnsafeRawBufferPointer, hash: HashFunction,
                               key: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer) -> Bool {
        let expected = authenticationCode(hash, key: key, message: message)
        guard expected.count == hash.digestLength else { return false }
        return expected.withUnsafeBytes { ConstantTime.equals($0, tag) }
    }
}
