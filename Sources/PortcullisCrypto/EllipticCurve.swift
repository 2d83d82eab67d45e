/// A NIST prime curve usable for JOSE ECDSA (RFC 7518 §3.4) and its JWK `crv` name.
public enum EllipticCurve: String, Sendable, Hashable, CaseIterable {
    case p256 = "P-256"
    case p384 = "P-384"
    case p521 = "P-521"

    /// Byte length of one field element / coordinate, and of `r` and `s` in a JOSE signature.
    public var coordinateLength: Int {
        switch self {
        case .p256: return 32
        case .p384: return 48
        case .p521: return 66
        }
    }

    /// The OpenSSL group name used with `OSSL_PKEY_PARAM_GROUP_NAME`.
    var openSSLGroupName: StaticString {
        switch self {
        case .p256: return "prime256v1"
        case .p384: return "secp384r1"
        case .p521: return "secp521r1"
        }
    }

    init?(openSSLGroupName name: String) {
        switch name {
        case "prime256v1", "P-256": self = .p256
        case "secp384r1", "P-384": self = .p384
        case "secp521r1", "P-521": self = .p521
        default: return nil
        }
    }

    /// The group order `n`, big-endian, left-padded to `coordinateLength` bytes.
    /// Security invariant: a JOSE ECDSA signature is accepted only with 0 < r, s < n
    /// (checked before OpenSSL sees it); a test cross-checks these constants against
    /// OpenSSL's own `EC_GROUP_get0_order`.
    public var order: [UInt8] {
        switch self {
        case .p256: return Self.p256Order
        case .p384: return Self.p384Order
        case .p521: return Self.p521Order
        }
    }

    private static let p256Order: [UInt8] = hex(
        "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")
    private static let p384Order: [UInt8] = hex(
        "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973")
    private static let p521Order: [UInt8] = hex(
        "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409")

    private static func hex(_ s: StaticString) -> [UInt8] {
        var out: [UInt8] = []
        var high: UInt8 = 0
        var odd = false
        s.withUTF8Buffer { buf in
            for c in buf {
                let v: UInt8 = c <= 0x39 ? c &- 0x30 : c &- 0x57
                if odd { out.append(high << 4 | v) } else { high = v }
                odd.toggle()
            }
        }
        return out
    }
}
