import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// When the certificates a listener serves expire (`portcullis_tls_certificate_expiry_timestamp_seconds`).
extension TLSServerIdentity {
    /// For each certificate entry, in configuration order: its `server_names` and the `notAfter` of
    /// the certificate actually loaded (Unix seconds; nil if OpenSSL cannot say).
    public var certificateExpiries: [(serverNames: [String], notAfter: Int64?)] {
        zip(settings.certificates, contexts).map { entry, context in
            (entry.serverNames, SSL_CTX_get0_certificate(context.ctx).flatMap(CertificateExpiry.notAfter(of:)))
        }
    }
}

extension CertificateExpiry {
    /// `notAfter` of `certificate` in Unix seconds (UTC).
    static func notAfter(of certificate: OpaquePointer) -> Int64? {
        guard let time = X509_get0_notAfter(certificate) else { return nil }
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { OpenSSLReason.clear(); return nil }
        return Int64(timegm(&parts))
    }
}
