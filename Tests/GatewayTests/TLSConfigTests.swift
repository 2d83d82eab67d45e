import TestProcessSupport
import Foundation
import XCTest
import Config
import PortcullisTLS

/// `tls` validation at load time: every error names its JSON path, private keys never appear in a
/// message, relative paths resolve against the configuration file's directory.
final class TLSConfigTests: XCTestCase {
    let pki = TLSTestPKI.shared

    private func config(tls: String, upstream: String = #"{"targets": ["http://127.0.0.1:9"]}"#) -> String {
        #"{"listen": "127.0.0.1:0", "upstreams": {"api": \#(upstream)}, "routes": [{"path": "/**", "upstream": "api", "public": true}], "tls": \#(tls)}"#
    }

    private func entry(cert: String = "server.pem", key: String = "server.key") -> String {
        #"{"certificate_file": "\#(pki.path(cert))", "private_key_file": "\#(pki.path(key))"}"#
    }

    private func loadError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> ConfigError? {
        do { _ = try ConfigLoader.parse(bytes: Array(text.utf8), baseDirectory: pki.directory); XCTFail("accepted", file: file, line: line); return nil }
        catch { return error }
    }

    func testKeyNotMatchingCertificateNamesTheKeyPathAndNeverItsContent() throws {
        let error = try XCTUnwrap(loadError(config(tls: #"{"certificates": [\#(entry()), \#(entry(cert: "other.pem", key: "server.key"))]}"#)))
        XCTAssertEqual(error.path, "tls.certificates[1].private_key_file")
        let key = try String(contentsOfFile: pki.path("server.key"), encoding: .utf8)
        let body = key.split(separator: "\n").dropFirst().first.map(String.init) ?? "?"
        XCTAssertFalse(error.description.contains(body), "no key material in the message")
        XCTAssertFalse(error.description.contains("PRIVATE KEY-----"))
    }

    func testUnreadableAndNonPEMFiles() throws {
        XCTAssertEqual(loadError(config(tls: #"{"certificates": [\#(entry(cert: "missing.pem"))]}"#))?.path, "tls.certificates[0].certificate_file")
        XCTAssertEqual(loadError(config(tls: #"{"certificates": [\#(entry(key: "missing.key"))]}"#))?.path, "tls.certificates[0].private_key_file")
        _ = pki.write("garbage.pem", "not a certificate\n")
        XCTAssertEqual(loadError(config(tls: #"{"certificates": [\#(entry(cert: "garbage.pem"))]}"#))?.path, "tls.certificates[0].certificate_file")
        XCTAssertEqual(loadError(config(tls: #"{"certificates": [\#(entry(key: "garbage.pem"))]}"#))?.path, "tls.certificates[0].private_key_file")
    }

    func testEncryptedKeyIsRefusedWithoutAPrompt() throws {
        let encrypted = "encrypted-\(UUID().uuidString).key"
        let made = runProcess("/usr/bin/env", ["openssl", "pkey", "-in", pki.path("server.key"), "-aes256", "-passout", "pass:secret",
                                               "-out", pki.path(encrypted)], stdin: "")
        XCTAssertEqual(made.status, 0, made.stderr)
        let error = loadError(config(tls: #"{"certificates": [\#(entry(key: encrypted))]}"#))
        XCTAssertEqual(error?.path, "tls.certificates[0].private_key_file")
        XCTAssertTrue(error?.message.contains("not an unencrypted PEM private key") == true, error?.message ?? "")
    }

    func testRequiredClientCertificateNeedsACAFile() {
        let error = loadError(config(tls: #"{"certificates": [\#(entry())], "client_certificate": "required"}"#))
        XCTAssertEqual(error?.description, "tls.client_ca_file: is required when client_certificate is \"required\"")
    }

    func testEnumeratedValuesAndServerNames() {
        XCTAssertEqual(loadError(config(tls: #"{"certificates": [\#(entry())], "min_version": "1.1"}"#))?.description,
                       "tls.min_version: expected \"1.2\" or \"1.3\", got \"1.1\"")
        XCTAssertEqual(loadError(config(tls: #"{"certificates": [\#(entry())], "client_certificate": "maybe"}"#))?.path, "tls.client_certificate")
        let badName = #"{"certificates": [{"certificate_file": "server.pem", "private_key_file": "server.key", "server_names": ["*.com"]}]}"#
        XCTAssertEqual(loadError(config(tls: badName))?.path, "tls.certificates[0].server_names[0]")
        XCTAssertEqual(loadError(config(tls: #"{"certificates": []}"#))?.path, "tls.certificates")
        XCTAssertEqual(loadError(config(tls: #"{"certificates": [\#(entry())], "ciphers": "ALL"}"#))?.path, "tls.ciphers")
    }

    func testRelativePathsResolveAgainstTheConfigDirectory() throws {
        let text = config(tls: #"{"certificates": [{"certificate_file": "server.pem", "private_key_file": "server.key", "server_names": ["api.porttask.example"]}]}"#)
        let path = pki.write("portcullis.json", text)
        let loaded = try ConfigLoader.load(path: path)
        XCTAssertEqual(loaded.tls?.certificates.first?.certificateFile, pki.path("server.pem"))
        XCTAssertEqual(loaded.tls?.minVersion, .v1_2)
        XCTAssertEqual(loaded.tls?.clientCertificate, ClientCertificateMode.none)
        XCTAssertEqual(loaded.tls?.sessionResumption, true)
    }

    func testExpiredCertificateIsAWarningNotAnError() throws {
        let loaded = try ConfigLoader.parse(bytes: Array(config(tls: #"{"certificates": [\#(entry(cert: "expired-server.pem", key: "expired-server.key"))]}"#).utf8),
                                            baseDirectory: pki.directory)
        let warnings = ConfigLoader.warnings(for: loaded)
        XCTAssertTrue(warnings.contains { $0.path == "tls.certificates[0].certificate_file" && $0.message.contains("expired") }, "\(warnings)")
        let fresh = try ConfigLoader.parse(bytes: Array(config(tls: #"{"certificates": [\#(entry())]}"#).utf8), baseDirectory: pki.directory)
        XCTAssertFalse(ConfigLoader.warnings(for: fresh).contains { $0.path.hasPrefix("tls.") })
    }

    func testUpstreamTLS() throws {
        let https = #"{"targets": ["https://localhost:8443"], "tls": {"ca_file": "ca.pem", "server_name": "api.internal"}}"#
        let loaded = try ConfigLoader.parse(bytes: Array(config(tls: #"{"certificates": [\#(entry())]}"#, upstream: https).utf8), baseDirectory: pki.directory)
        XCTAssertEqual(loaded.upstreams["api"]?.tls?.caFile, pki.path("ca.pem"))
        XCTAssertEqual(loaded.upstreams["api"]?.tls?.verify, true)
        XCTAssertEqual(loaded.upstreams["api"]?.targets.first?.port, 8443)
        let defaults = try ConfigLoader.parse(bytes: Array(config(tls: #"{"certificates": [\#(entry())]}"#, upstream: #"{"targets": ["https://localhost"]}"#).utf8),
                                              baseDirectory: pki.directory)
        XCTAssertEqual(defaults.upstreams["api"]?.tls, TLSClientSettings(), "verify against the system store by default")
        XCTAssertEqual(defaults.upstreams["api"]?.targets.first?.port, 443)
        let mixed = #"{"targets": ["https://a", "http://b"]}"#
        XCTAssertEqual(loadError(config(tls: #"{"certificates": [\#(entry())]}"#, upstream: mixed))?.path, "upstreams.api.targets[1]")
        let plainWithTLS = #"{"targets": ["http://a"], "tls": {}}"#
        XCTAssertEqual(loadError(config(tls: #"{"certificates": [\#(entry())]}"#, upstream: plainWithTLS))?.path, "upstreams.api.tls")
        let missingCA = #"{"targets": ["https://a"], "tls": {"ca_file": "nope.pem"}}"#
        XCTAssertEqual(loadError(config(tls: #"{"certificates": [\#(entry())]}"#, upstream: missingCA))?.path, "upstreams.api.tls.ca_file")
        let halfClientCert = #"{"targets": ["https://a"], "tls": {"certificate_file": "client.pem"}}"#
        XCTAssertEqual(loadError(config(tls: #"{"certificates": [\#(entry())]}"#, upstream: halfClientCert))?.path, "upstreams.api.tls.private_key_file")
    }
}
