/// A fact of the listener's verified client certificate that `tls.client_certificate_headers` can
/// forward upstream (the raw value is the configuration's spelling).
public enum ClientCertificateField: String, Sendable, Equatable, CaseIterable {
    /// The subject's distinguished name as an RFC 4514 string (nginx's `$ssl_client_s_dn`):
    /// `CN=client-1,O=Example`, special characters backslash-escaped, bytes outside printable
    /// ASCII as `\XX` hex pairs of their UTF-8.
    case subject
    /// The issuer's distinguished name, written like `subject`.
    case issuer
    /// The serial number in upper-case hexadecimal without separators (nginx's `$ssl_client_serial`).
    case serial
    /// The RFC 8705 `x5t#S256` thumbprint: base64url SHA-256 of the certificate's DER, the value a
    /// certificate-bound token's `cnf` carries.
    case sha256
    /// The end of the validity period, RFC 3339 in UTC (`2027-03-01T12:00:00.000Z`).
    case notAfter = "not_after"
}

/// One header set on forwarded requests from the connection's verified client certificate
/// (`tls.client_certificate_headers`: header name → field).
///
/// Spoof-proof like `identity_headers`: a client-sent field of the name (or its `_` spelling) is
/// always removed, with or without a certificate, and the value comes only from a certificate that
/// verified against `client_ca_file` during the handshake.
public struct ClientCertificateHeader: Sendable, Equatable {
    /// Header name as configured (compared case-insensitively).
    public var header: String
    /// What the value is.
    public var field: ClientCertificateField

    /// Creates a mapping.
    public init(header: String, field: ClientCertificateField) {
        self.header = header
        self.field = field
    }
}
