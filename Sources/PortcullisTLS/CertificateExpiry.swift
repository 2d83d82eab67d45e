import COpenSSL

/// Validity of the first certificate of a PEM file, for the `check` warning about expired
/// certificates (an expired certificate still loads: clients decide, the operator is warned).
public enum CertificateExpiry {
    /// Whether the first certificate in `pemFile` has expired at `now` (Unix seconds); nil when the
    /// file cannot be read as a PEM certificate.
    public static func isExpired(pemFile: String, now: Int64) -> Bool? {
        guard let bio = BIO_new_file(pemFile, "r") else { OpenSSLReason.clear(); return nil }
        defer { BIO_free(bio) }
        guard let cert = PEM_read_bio_X509(bio, nil, nil, nil) else { OpenSSLReason.clear(); return nil }
        defer { X509_free(cert) }
        var t = time_t(now)
        let order = X509_cmp_time(X509_get0_notAfter(cert), &t)
        guard order != 0 else { OpenSSLReason.clear(); return nil }
        return order < 0
    }
}
