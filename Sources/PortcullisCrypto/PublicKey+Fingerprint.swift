import COpenSSL

extension PublicKey {
    /// SHA-256 of the key's DER SubjectPublicKeyInfo, as 64 lowercase hex digits: the same for the
    /// same key material however it was delivered (JWK, PEM), different for any other key. Used to
    /// tell keys apart where a `kid` cannot (a JWK without one, or a `kid` reused for new material).
    /// Empty only if OpenSSL cannot encode the key, which a loaded key never hits.
    public var fingerprint: String {
        let length = i2d_PUBKEY(pkey, nil)
        guard length > 0 else { OpenSSLErrorQueue.clear(); return "" }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_PUBKEY(pkey, &cursor)
        }
        guard written == length else { OpenSSLErrorQueue.clear(); return "" }
        let digest = SHA256Digest(hashing: der).bytes
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
