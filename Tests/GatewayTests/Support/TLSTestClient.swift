import TestProcessSupport
import Foundation

/// A real TLS client for black-box tests: Python's `ssl` module (OpenSSL underneath, but none of the
/// gateway's code), driven over memory BIOs so a test can also cut the handshake into tiny writes.
/// Each call runs one `python3` process and returns what the client saw.
struct TLSTestClient {
    var port: UInt16
    /// SNI; nil sends none (and skips the name check).
    var serverName: String? = "api.porttask.example"
    /// CA file that must sign the server's certificate; nil accepts any certificate.
    var caFile: String? = TLSTestPKI.shared.path("ca.pem")
    var certificateFile: String?
    var keyFile: String?
    var minVersion: String?
    var maxVersion: String?
    var alpn: [String]? = ["http/1.1"]
    /// Bytes per `send` while handshaking (1: every byte its own TCP segment).
    var chunk = 65536

    /// What the client saw: the handshake's outcome and the bytes received.
    struct Outcome {
        var error: String?
        var version: String?
        var alpn: String?
        /// Common name of the certificate the server presented.
        var peerCommonName: String?
        /// Whether the (last) connection resumed a session.
        var reused = false
        /// Per connection: whether it resumed, and how many NewSessionTicket messages it received.
        var reusedEach: [Bool] = []
        var ticketsEach: [Int] = []
        /// Everything received after the handshake, per connection.
        var responses: [String] = []
        var ok: Bool { error == nil }
        /// The status code of the first response, if one arrived.
        var status: Int? {
            guard let first = responses.first, first.hasPrefix("HTTP/1.1 ") else { return nil }
            return Int(first.dropFirst(9).prefix(3))
        }
    }

    /// Connects (`connections` times, each resuming the previous session), sends `request` on each,
    /// and reads until the server closes.
    func run(request: String = "GET /v1/status HTTP/1.1\r\nHost: gateway.test\r\nConnection: close\r\n\r\n",
             connections: Int = 1) -> Outcome {
        var options: [String: Any] = ["port": Int(port), "chunk": chunk, "request": request, "connections": connections]
        if let serverName { options["sni"] = serverName }
        if let caFile { options["ca"] = caFile }
        if let certificateFile { options["cert"] = certificateFile }
        if let keyFile { options["key"] = keyFile }
        if let minVersion { options["min"] = minVersion }
        if let maxVersion { options["max"] = maxVersion }
        if let alpn { options["alpn"] = alpn }
        let json = String(decoding: try! JSONSerialization.data(withJSONObject: options), as: UTF8.self)
        let result = runProcess("/usr/bin/env", ["python3", "-c", Self.script, json])
        guard let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            return Outcome(error: "client crashed: \(result.stderr)")
        }
        return Outcome(error: object["error"] as? String, version: object["version"] as? String, alpn: object["alpn"] as? String,
                       peerCommonName: object["peer_cn"] as? String, reused: object["reused"] as? Bool ?? false,
                       reusedEach: object["reused_each"] as? [Bool] ?? [], ticketsEach: object["tickets_each"] as? [Int] ?? [],
                       responses: object["responses"] as? [String] ?? [])
    }

    private static let script = #"""
import sys, json, socket, ssl
from cryptography import x509
from cryptography.x509.oid import NameOID
o = json.loads(sys.argv[1])
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
if o.get("ca"): ctx.load_verify_locations(o["ca"])
else:
    ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
if o.get("sni") is None: ctx.check_hostname = False
if o.get("cert"): ctx.load_cert_chain(o["cert"], o["key"])
versions = {"1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}
if o.get("min"): ctx.minimum_version = versions[o["min"]]
if o.get("max"): ctx.maximum_version = versions[o["max"]]
if o.get("alpn"): ctx.set_alpn_protocols(o["alpn"])
chunk = o["chunk"]
result = {"responses": [], "reused_each": [], "tickets_each": []}
tickets = [0]
def on_message(conn, direction, version, content_type, msg_type, data):
    if direction == "read" and msg_type == ssl._TLSMessageType.NEWSESSION_TICKET: tickets[0] += 1
ctx._msg_callback = on_message   # CPython's message hook: counts the tickets the server sends
def connect(session):
    tickets[0] = 0
    s = socket.create_connection(("127.0.0.1", o["port"]), timeout=5)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    t = ctx.wrap_bio(inc, out, server_hostname=o.get("sni"), session=session)
    def flush():
        data = out.read()
        for i in range(0, len(data), chunk): s.sendall(data[i:i + chunk])
    def pump():
        d = s.recv(65536)
        if d: inc.write(d)
        else: inc.write_eof()
        return bool(d)
    while True:
        try:
            t.do_handshake(); flush(); break
        except ssl.SSLWantReadError:
            flush()
            if not pump(): raise ConnectionError("connection closed during the handshake")
    t.write(o["request"].encode()); flush()
    received = b""
    while True:
        try:
            d = t.read(65536)
            if not d: break
            received += d
        except ssl.SSLWantReadError:
            flush()
            if not pump(): break
        except (ssl.SSLZeroReturnError, ssl.SSLEOFError): break
    result["version"] = t.version(); result["alpn"] = t.selected_alpn_protocol(); result["reused"] = t.session_reused
    result["reused_each"].append(t.session_reused); result["tickets_each"].append(tickets[0])
    der = t.getpeercert(binary_form=True)
    if der:
        result["peer_cn"] = x509.load_der_x509_certificate(der).subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    result["responses"].append(received.decode("latin-1"))
    s.close()
    return t.session
try:
    session = None
    for _ in range(o["connections"]): session = connect(session)
except Exception as e:
    result["error"] = f"{type(e).__name__}: {e}"
print(json.dumps(result))
"""#
}
