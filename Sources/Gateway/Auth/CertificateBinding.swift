import JOSE
import PortcullisCrypto

/// RFC 8705 certificate-bound access tokens: a token whose `cnf` claim has `x5t#S256` is accepted
/// only on a connection whose verified client certificate has that thumbprint (base64url SHA-256 of
/// its DER). A stolen bound token is useless without the client's private key.
public enum CertificateBinding: Sendable, Equatable {
    /// No `cnf.x5t#S256`: a bearer token, usable on any connection.
    case unbound
    /// The thumbprint's text as sent (compared byte for byte; empty when not a string).
    case bound([UInt8])

    /// Reads `x5t#S256` from a `cnf` claim value (absent claim or member: `.unbound`).
    init(confirmation: JSONValue?) {
        guard let member = confirmation?["x5t#S256"] else { self = .unbound; return }
        self = .bound(member.stringValue.map { Array($0.utf8) } ?? [])
    }

    /// Why a connection may not use a token so bound, or nil when it may. `thumbprint`: the
    /// connection's verified client certificate, as `ClientConnection` computes it.
    func rejection(connectionThumbprint thumbprint: String?) -> CertificateBindingFailure? {
        guard case .bound(let expected) = self else { return nil }
        guard let thumbprint else { return .certificateMissing }
        return ConstantTime.equals(expected, Array(thumbprint.utf8)) && !expected.isEmpty ? nil : .certificateMismatch
    }
}

/// The two causes of a bound token's rejection (each its own failure code; both 401 `invalid_token`
/// with "token is bound to a client certificate").
enum CertificateBindingFailure: String {
    /// The connection has no verified client certificate (plain HTTP, or none presented).
    case certificateMissing = "certificate_binding_missing"
    /// The connection's certificate is not the one the token is bound to.
    case certificateMismatch = "certificate_binding_mismatch"
}
