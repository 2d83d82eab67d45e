import PortcullisTLS

extension ClientConnection {
    /// The `client_certificate_headers` lines for this connection's verified certificate (empty
    /// without one). A header whose value is not a clean field value is left out, counted
    /// (`portcullis_tls_client_certificate_headers_omitted_total{header}`) and logged with code
    /// `client_certificate_header_invalid`, once per connection and configuration.
    func certificateFields(_ headers: ClientCertificateHeaders) -> [UInt8] {
        guard let certificate = clientCertificate else { return [] }
        return certificate.lines(for: headers, session: stream.transform as? TLSConnection) { omitted in
            context.metrics.certificateHeadersOmitted[omitted.header, default: 0] += 1
            headers.logger.warning("client certificate header omitted: its value is not a valid field value",
                                   [("code", "client_certificate_header_invalid"), ("header", omitted.header),
                                    ("field", omitted.field.rawValue), ("peer", peer)])
        }
    }
}
