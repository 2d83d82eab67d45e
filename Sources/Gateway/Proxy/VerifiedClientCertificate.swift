import PortcullisCrypto
import PortcullisTLS
import TextCoding

/// A connection's verified client certificate as the gateway uses it, read from the TLS session at
/// the connection's first request and kept for the connection's life (a TLS session's certificate
/// never changes: no renegotiation): the RFC 8705 thumbprint, checked against bound tokens on every
/// request, and the `client_certificate_headers` lines, serialized once per configuration.
///
/// Exists only for a certificate that verified against `client_ca_file` during the handshake.
/// Confined to the connection's loop.
final class VerifiedClientCertificate {
    /// `x5t#S256`: base64url SHA-256 of the certificate's DER.
    let thumbprint: String
    /// The certificate's names, serial and expiry; read at the first `lines` call.
    private var text: PeerCertificateText??
    /// The lines last serialized, and the configuration's headers they were serialized for.
    private var cached: (headers: ClientCertificateHeaders, lines: [UInt8])?

    /// nil when `session` is not TLS or has no verified peer certificate.
    init?(session: TLSConnection?) {
        guard let der = session?.verifiedPeerCertificateDER else { return nil }
        thumbprint = Base64URL.encode(SHA256Digest(hashing: der).bytes)
    }

    /// The header lines `headers` asks for. Computed on the first request that needs them and again
    /// only after a reload changed the headers; `omitted` hears each header left out (once per
    /// computation, so once per connection and configuration).
    func lines(for headers: ClientCertificateHeaders, session: TLSConnection?,
               omitted: (ClientCertificateHeader) -> Void) -> [UInt8] {
        if let cached, cached.headers === headers { return cached.lines }
        if text == nil { text = .some(session?.verifiedPeerCertificateText) }
        var left: [ClientCertificateHeader] = []
        let lines = headers.lines(thumbprint: thumbprint, text: text ?? nil, omitted: &left)
        left.forEach(omitted)
        cached = (headers, lines)
        return lines
    }
}
