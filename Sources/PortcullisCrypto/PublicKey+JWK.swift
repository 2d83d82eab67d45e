import COpenSSL

extension PublicKey {
    /// Builds an RSA key from JWK `n` and `e` (big-endian unsigned bytes).
    /// Rejects moduli outside 2048...16384 bits and exponents that are even, 1, or over 64 bits.
    public convenience init(rsaModulus n: [UInt8], exponent e: [UInt8]) throws(PublicKeyError) {
        let params = ParamBuilder()
        defer { params.free() }
        let nBits = n.withUnsafeBytes { params.pushBigNumber("n", $0) }
        let eInfo = e.withUnsafeBytes { buf -> (bits: Int, odd: Bool) in
            _ = params.pushBigNumber("e", buf)
            let trimmed = buf.drop { $0 == 0 }
            return (trimmed.count * 8 - (trimmed.first.map { $0.leadingZeroBitCount } ?? 0), (buf.last ?? 0) & 1 == 1)
        }
        guard nBits >= Self.minimumRSABits, nBits <= Self.maximumRSABits else {
            throw PublicKeyError(.rsaModulusSize, "RSA modulus of \(nBits) bits is outside 2048...16384")
        }
        guard eInfo.odd, eInfo.bits > 1, eInfo.bits <= 64 else {
            throw PublicKeyError(.rsaExponent, "RSA public exponent is not a valid odd value above 1")
        }
        let pkey = try params.build(keyType: "RSA")
        self.init(owning: pkey, kind: .rsa(bits: nBits))
    }

    /// Builds an EC key from JWK `x` and `y`. Each coordinate must be exactly the curve's
    /// coordinate length (RFC 7518 §6.2.1.2) and the point must lie on the curve; OpenSSL's
    /// public-key check rejects off-curve points and the point at infinity (invalid-curve attacks).
    public convenience init(curve: EllipticCurve, x: [UInt8], y: [UInt8]) throws(PublicKeyError) {
        var point: [UInt8] = [0x04]
        let lengths = (x.withUnsafeBytes { $0.count }, y.withUnsafeBytes { $0.count })
        guard lengths.0 == curve.coordinateLength, lengths.1 == curve.coordinateLength else {
            throw PublicKeyError(.coordinateLength, "EC coordinate length does not match \(curve.rawValue)")
        }
        x.withUnsafeBytes { point.append(contentsOf: $0) }
        y.withUnsafeBytes { point.append(contentsOf: $0) }
        let params = ParamBuilder()
        defer { params.free() }
        params.pushUTF8("group", curve.openSSLGroupName)
        point.withUnsafeBytes { params.pushOctets("pub", $0) }
        let pkey: OpaquePointer
        do {
            pkey = try params.build(keyType: "EC")
        } catch {
            throw PublicKeyError(.pointNotOnCurve, "EC point is not on \(curve.rawValue)")
        }
        guard Self.publicCheck(pkey) else {
            EVP_PKEY_free(pkey)
            throw PublicKeyError(.pointNotOnCurve, "EC point is not on \(curve.rawValue)")
        }
        self.init(owning: pkey, kind: .ec(curve))
    }

    /// Builds an Ed25519 key from the JWK `x` (exactly 32 bytes, RFC 8037 §2).
    public convenience init(ed25519 x: [UInt8]) throws(PublicKeyError) {
        let made: OpaquePointer? = x.withUnsafeBytes { buf in
            guard buf.count == 32 else { return nil }
            return EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil,
                                               buf.bindMemory(to: UInt8.self).baseAddress, 32)
        }
        guard let pkey = made else {
            OpenSSLErrorQueue.clear()
            throw PublicKeyError(.ed25519KeyLength, "Ed25519 public key must be 32 bytes")
        }
        self.init(owning: pkey, kind: .ed25519)
    }

    private static func publicCheck(_ pkey: OpaquePointer) -> Bool {
        guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, pkey, nil) else {
            OpenSSLErrorQueue.clear()
            return false
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        if EVP_PKEY_public_check(ctx) == 1 { return true }
        OpenSSLErrorQueue.clear()
        return false
    }
}

/// Owns an `OSSL_PARAM_BLD` and everything pushed into it. The builder stores *pointers* (keys,
/// values, BIGNUMs) until `OSSL_PARAM_BLD_to_param`, so keys and string values are static
/// strings and octets are copied into storage this object frees.
private final class ParamBuilder {
    private let builder: OpaquePointer? = OSSL_PARAM_BLD_new()
    private var numbers: [OpaquePointer] = []
    private var buffers: [UnsafeMutableRawBufferPointer] = []
    private var failed = false
    /// `EVP_PKEY_PUBLIC_KEY` (a compound macro Swift does not import): domain + other
    /// parameters + the public key.
    static let publicKeySelection = Int32(OSSL_KEYMGMT_SELECT_DOMAIN_PARAMETERS | OSSL_KEYMGMT_SELECT_OTHER_PARAMETERS | OSSL_KEYMGMT_SELECT_PUBLIC_KEY)

    /// Pushes an unsigned big-endian integer; returns its bit length.
    @discardableResult
    func pushBigNumber(_ key: StaticString, _ bytes: UnsafeRawBufferPointer) -> Int {
        guard let bn = BN_bin2bn(bytes.bindMemory(to: UInt8.self).baseAddress, Int32(bytes.count), nil) else {
            failed = true
            return 0
        }
        numbers.append(bn)
        if OSSL_PARAM_BLD_push_BN(builder, Self.cString(key), bn) != 1 { failed = true }
        return Int(BN_num_bits(bn))
    }

    func pushUTF8(_ key: StaticString, _ value: StaticString) {
        if OSSL_PARAM_BLD_push_utf8_string(builder, Self.cString(key), Self.cString(value), 0) != 1 { failed = true }
    }

    func pushOctets(_ key: StaticString, _ bytes: UnsafeRawBufferPointer) {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
        copy.copyMemory(from: bytes)
        buffers.append(copy)
        if OSSL_PARAM_BLD_push_octet_string(builder, Self.cString(key), copy.baseAddress, bytes.count) != 1 { failed = true }
    }

    private static func cString(_ s: StaticString) -> UnsafePointer<CChar> {
        UnsafeRawPointer(s.utf8Start).assumingMemoryBound(to: CChar.self)
    }

    /// Runs `EVP_PKEY_fromdata` with the public-key selection.
    func build(keyType: String) throws(PublicKeyError) -> OpaquePointer {
        guard !failed, let builder, let params = OSSL_PARAM_BLD_to_param(builder) else {
            OpenSSLErrorQueue.clear()
            throw PublicKeyError(.invalidKey, "key parameters could not be encoded")
        }
        defer { OSSL_PARAM_free(params) }
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, keyType, nil) else {
            OpenSSLErrorQueue.clear()
            throw PublicKeyError(.invalidKey, "OpenSSL has no \(keyType) key manager")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        var pkey: OpaquePointer? = nil
        guard EVP_PKEY_fromdata_init(ctx) == 1,
              EVP_PKEY_fromdata(ctx, &pkey, Self.publicKeySelection, params) == 1,
              let made = pkey else {
            OpenSSLErrorQueue.clear()
            throw PublicKeyError(.invalidKey, "OpenSSL refused the \(keyType) key material")
        }
        return made
    }

    func free() {
        OSSL_PARAM_BLD_free(builder)
        for bn in numbers { BN_free(bn) }
        numbers.removeAll()
        for b in buffers { b.deallocate() }
        buffers.removeAll()
    }
}
