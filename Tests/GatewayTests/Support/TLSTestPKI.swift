import TestProcessSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import XCTest

/// Throw-away certificates for the TLS tests, generated at test time (python `cryptography`, EC
/// P-256) into a temporary directory: never committed, never reused across runs.
///
/// - `ca`: signs `server` (api.porttask.example, localhost, 127.0.0.1), `other` (*.orca.example),
///   `upstream` (localhost, 127.0.0.1) and `wronghost` (wrong.example)
/// - `client-ca`: signs `client`, `client2`, `expired-client` (expired yesterday), `client-escaped`
///   (`O=Ex;ample+Co`, `CN=Doe, "Jörg" <j>`: RFC 4514 specials and non-ASCII) and
///   `client-trailing-space` (`CN=client `, whose RFC 4514 string ends in an escaped space)
/// - `rogue-ca`: signs `rogue-client` and `rogue-upstream` (no listener or upstream trusts it)
///
/// `thumbprints.json` holds each certificate's RFC 8705 `x5t#S256`, computed by Python
/// independently of the gateway's code.
final class TLSTestPKI: @unchecked Sendable {
    let directory: String
    let thumbprints: [String: String]
    /// Each certificate's `subject` and `issuer` (Python's RFC 4514 strings), `serial` (upper-case
    /// hex, whole bytes) and `not_after` (RFC 3339), read by Python from what it generated.
    let facts: [String: [String: String]]

    private init() throws {
        directory = NSTemporaryDirectory() + "portcullis-tls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let result = runProcess("/usr/bin/env", ["python3", "-c", Self.generator, directory])
        guard result.status == 0 else { throw NSError(domain: "TLSTestPKI", code: 1, userInfo: [NSLocalizedDescriptionKey: result.stderr]) }
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/thumbprints.json"))
        thumbprints = try JSONSerialization.jsonObject(with: data) as! [String: String]
        let factData = try Data(contentsOf: URL(fileURLWithPath: directory + "/facts.json"))
        facts = try JSONSerialization.jsonObject(with: factData) as! [String: [String: String]]
    }

    /// Generated once per test process.
    static let shared: TLSTestPKI = try! TLSTestPKI()

    func path(_ name: String) -> String { "\(directory)/\(name)" }

    /// Writes `text` to a new file in the directory and returns its path.
    func write(_ name: String, _ text: String) -> String {
        let p = path(name)
        _ = FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
        return p
    }

    private static let generator = #"""
import sys, json, datetime, hashlib, base64, ipaddress
from cryptography import x509
from cryptography.x509.oid import NameOID, ExtendedKeyUsageOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
d = sys.argv[1]
now = datetime.datetime.now(datetime.timezone.utc)
thumbs = {}
def save(name, key, cert):
    open(f"{d}/{name}.key", "wb").write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    open(f"{d}/{name}.pem", "wb").write(cert.public_bytes(serialization.Encoding.PEM))
    thumbs[name] = base64.urlsafe_b64encode(hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).digest()).rstrip(b"=").decode()
facts = {}
def make(name, cn, issuer=None, ca=False, dns=(), ips=(), usage=None, days=(-1, 2), names=None):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(names or [x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    ikey, iname = (issuer[0], issuer[1].subject) if issuer else (key, subject)
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(iname).public_key(key.public_key())
         .serial_number(x509.random_serial_number())
         .not_valid_before(now + datetime.timedelta(days=days[0])).not_valid_after(now + datetime.timedelta(days=days[1]))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ca:
        b = b.add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
    sans = [x509.DNSName(n) for n in dns] + [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
    if sans: b = b.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    if usage: b = b.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    cert = b.sign(ikey, hashes.SHA256())
    save(name, key, cert)
    serial = format(cert.serial_number, "X")
    facts[name] = {"subject": cert.subject.rfc4514_string(), "issuer": cert.issuer.rfc4514_string(),
                   "serial": ("0" if len(serial) % 2 else "") + serial,
                   "not_after": cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%S.000Z")}
    return (key, cert)
ca = make("ca", "Portcullis Test CA", ca=True)
make("server", "api.porttask.example", ca, dns=["api.porttask.example", "localhost"], ips=["127.0.0.1"], usage=ExtendedKeyUsageOID.SERVER_AUTH)
make("other", "*.orca.example", ca, dns=["*.orca.example"], usage=ExtendedKeyUsageOID.SERVER_AUTH)
make("upstream", "localhost", ca, dns=["localhost"], ips=["127.0.0.1"], usage=ExtendedKeyUsageOID.SERVER_AUTH)
make("wronghost", "wrong.example", ca, dns=["wrong.example"], usage=ExtendedKeyUsageOID.SERVER_AUTH)
cca = make("client-ca", "Portcullis Test Client CA", ca=True)
make("client", "client-1", cca, usage=ExtendedKeyUsageOID.CLIENT_AUTH)
make("client2", "client-2", cca, usage=ExtendedKeyUsageOID.CLIENT_AUTH)
make("expired-client", "client-expired", cca, usage=ExtendedKeyUsageOID.CLIENT_AUTH, days=(-3, -1))
make("client-escaped", None, cca, usage=ExtendedKeyUsageOID.CLIENT_AUTH,
     names=[x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Ex;ample+Co"), x509.NameAttribute(NameOID.COMMON_NAME, 'Doe, "J\u00f6rg" <j>')])
make("client-trailing-space", "client ", cca, usage=ExtendedKeyUsageOID.CLIENT_AUTH)
make("expired-server", "api.porttask.example", ca, dns=["localhost"], usage=ExtendedKeyUsageOID.SERVER_AUTH, days=(-3, -1))
rca = make("rogue-ca", "Rogue CA", ca=True)
make("rogue-client", "client-1", rca, usage=ExtendedKeyUsageOID.CLIENT_AUTH)
make("rogue-upstream", "localhost", rca, dns=["localhost"], ips=["127.0.0.1"], usage=ExtendedKeyUsageOID.SERVER_AUTH)
json.dump(thumbs, open(f"{d}/thumbprints.json", "w"))
json.dump(facts, open(f"{d}/facts.json", "w"))
"""#
}
