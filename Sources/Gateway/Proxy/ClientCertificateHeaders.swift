import HTTP1
import PortcullisTLS
import Telemetry

/// `tls.client_certificate_headers` as the request path uses it: built once per configuration and
/// shared by every plan made under it, so a connection can tell by identity whether the header lines
/// it serialized are still the current configuration's.
///
/// Security invariants: the authorizer drops a client-sent field of any of these names (and its
/// `_` spelling) on every request, certificate or not; a value that is not a clean field value is
/// omitted (counted and logged with code `client_certificate_header_invalid`), never repaired, so
/// no CR, LF or other control byte ever reaches an upstream from a certificate.
public final class ClientCertificateHeaders: Sendable {
    /// Header → field, sorted by header name.
    public let headers: [ClientCertificateHeader]
    let logger: Logger

    /// nil when `headers` is empty (nothing to set: plans carry no object at all).
    public init?(_ headers: [ClientCertificateHeader], logger: Logger = Logger(component: "gateway")) {
        guard !headers.isEmpty else { return nil }
        self.headers = headers
        self.logger = logger
    }

    /// Lowercased names (the authorizer's drop set).
    public var names: [String] { headers.map { $0.header.lowercased() } }

    /// `Name: value CRLF` for each header whose value is present and clean, in `headers` order; the
    /// fields left out because their value is not a clean field value go to `omitted`.
    func lines(thumbprint: String, text: PeerCertificateText?, omitted: inout [ClientCertificateHeader]) -> [UInt8] {
        var out: [UInt8] = []
        for header in headers {
            guard let value = Self.value(header.field, thumbprint: thumbprint, text: text), !value.isEmpty else { continue }
            guard HTTPSerializer.isCleanFieldValue(value.utf8) else { omitted.append(header); continue }
            HTTPSerializer.writeField(header.header, value, into: &out)
        }
        return out
    }

    /// The text of `field` (nil when OpenSSL could not read the certificate's part).
    static func value(_ field: ClientCertificateField, thumbprint: String, text: PeerCertificateText?) -> String? {
        switch field {
        case .sha256: return thumbprint
        case .subject: return text?.subject
        case .issuer: return text?.issuer
        case .serial: return text?.serial
        case .notAfter: return text?.notAfter.map { RFC3339.string(milliseconds: $0 * 1000) }
        }
    }
}
