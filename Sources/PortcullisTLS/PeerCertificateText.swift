import COpenSSL

/// The verified peer certificate's names, serial and expiry as text, read from a `TLSConnection`
/// once (the gateway keeps it for the life of the connection).
public struct PeerCertificateText: Sendable, Equatable {
    /// Subject DN, RFC 4514 (see `ClientCertificateField.subject`).
    public var subject: String
    /// Issuer DN, RFC 4514.
    public var issuer: String
    /// Serial number, upper-case hexadecimal (a `-` first if negative).
    public var serial: String
    /// `notAfter` in Unix seconds (UTC); nil if OpenSSL cannot read it.
    public var notAfter: Int64?
}

extension TLSConnection {
    /// The text of the peer's certificate when one was presented and verified; nil otherwise.
    public var verifiedPeerCertificateText: PeerCertificateText? {
        guard let cert = verifiedPeerCertificate else { return nil }
        guard let subject = Self.distinguishedName(X509_get_subject_name(cert)),
              let issuer = Self.distinguishedName(X509_get_issuer_name(cert)),
              let serial = Self.serialHex(cert) else { return nil }
        return PeerCertificateText(subject: subject, issuer: issuer, serial: serial, notAfter: CertificateExpiry.notAfter(of: cert))
    }

    /// `name` as RFC 4514 text: OpenSSL's `XN_FLAG_RFC2253` (what nginx and Apache print), which
    /// reverses the RDN order, backslash-escapes `,+"\<>;` and leading `#`/space and trailing space,
    /// and writes control characters and every byte of non-ASCII UTF-8 as `\XX`.
    static func distinguishedName(_ name: OpaquePointer?) -> String? {
        guard let name, let bio = BIO_new(BIO_s_mem()) else { OpenSSLReason.clear(); return nil }
        defer { BIO_free(bio) }
        guard X509_NAME_print_ex(bio, name, 0, portcullis_xn_flag_rfc2253()) >= 0 else { OpenSSLReason.clear(); return nil }
        var data: UnsafeMutablePointer<CChar>?
        let n = portcullis_bio_mem_data(bio, &data)
        guard n >= 0 else { OpenSSLReason.clear(); return nil }
        guard n > 0, let data else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: n), as: UTF8.self)
    }

    /// The serial number in upper-case hex (`BN_bn2hex`).
    static func serialHex(_ cert: OpaquePointer) -> String? {
        guard let integer = X509_get0_serialNumber(cert), let bn = ASN1_INTEGER_to_BN(integer, nil) else {
            OpenSSLReason.clear()
            return nil
        }
        defer { BN_free(bn) }
        guard let hex = BN_bn2hex(bn) else { OpenSSLReason.clear(); return nil }
        defer { portcullis_openssl_free(hex) }
        return String(cString: hex)
    }
}
