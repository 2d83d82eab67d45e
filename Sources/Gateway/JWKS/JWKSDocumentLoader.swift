import Foundation
import JOSE
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Fetches one JWKS document from a `JWKSSource`: HTTP(S) through `URLSession` (off the request
/// path), OpenID discovery, a local file, or inline bytes. Knows nothing about caching.
///
/// Security invariants: only a 200 response is a document (a refused redirect leaves a 3xx,
/// hence a failure); https never redirects to http (`JWKSRedirectGuard`); bodies above `maxDocumentBytes`
/// are refused; failures carry a `JWKSFetchFailure` whose text never includes document bytes.
final class JWKSDocumentLoader: Sendable {
    typealias Completion = @Sendable (Result<JWKSDocument, JWKSFetchFailure>) -> Void

    let source: JWKSSource
    let timeout: Double
    let maxDocumentBytes: Int
    let session: URLSession

    init(source: JWKSSource, timeout: Double, maxDocumentBytes: Int) {
        self.source = source
        self.timeout = timeout
        self.maxDocumentBytes = maxDocumentBytes
        session = .controlPlane(timeout: timeout)
    }

    /// Loads the document; `completion` runs exactly once, on an arbitrary thread.
    func load(completion: @escaping Completion) {
        switch source {
        case .inline(let bytes):
            completion(bytes.count <= maxDocumentBytes ? .success(JWKSDocument(bytes: bytes, maxAge: nil))
                                                       : .failure(.tooLarge(limit: maxDocumentBytes)))
        case .file(let path):
            completion(readFile(path))
        case .url(let url):
            get(url) { completion($0) }
        case .discovery(let issuer):
            discover(issuer: issuer) { [self] result in
                switch result {
                case .success(let url): get(url) { completion($0) }
                case .failure(let failure): completion(.failure(failure))
                }
            }
        }
    }

    /// Stops the session; in-flight requests complete with a transport failure.
    func invalidate() {
        session.invalidateAndCancel()
    }

    private func readFile(_ path: String) -> Result<JWKSDocument, JWKSFetchFailure> {
        guard let handle = FileHandle(forReadingAtPath: path) else { return .failure(.fileUnreadable) }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: maxDocumentBytes + 1) else { return .failure(.fileUnreadable) }
        guard data.count <= maxDocumentBytes else { return .failure(.tooLarge(limit: maxDocumentBytes)) }
        return .success(JWKSDocument(bytes: [UInt8](data), maxAge: nil))
    }

    private func get(_ url: URL, completion: @escaping Completion) {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let limit = maxDocumentBytes
        session.dataTask(with: request) { data, response, error in
            if let error {
                let nsError = error as NSError
                let detail = nsError.code == NSURLErrorTimedOut ? "timed out" : "transport error \(nsError.code)"
                completion(.failure(.transport(detail)))
                return
            }
            guard let http = response as? HTTPURLResponse else {
                completion(.failure(.transport("not an HTTP response")))
                return
            }
            guard http.statusCode == 200 else {
                completion(.failure(.httpStatus(http.statusCode)))
                return
            }
            let body = data ?? Data()
            guard body.count <= limit else {
                completion(.failure(.tooLarge(limit: limit)))
                return
            }
            let maxAge = JWKSCacheControl.maxAge(http.value(forHTTPHeaderField: "Cache-Control"))
            completion(.success(JWKSDocument(bytes: [UInt8](body), maxAge: maxAge)))
        }.resume()
    }

    /// Resolves `jwks_uri` from the issuer's discovery document (OpenID Connect Discovery 1.0
    /// §4): the document's `issuer` must equal ours exactly, and an https issuer may only point
    /// at an https `jwks_uri`.
    private func discover(issuer: String, completion: @escaping @Sendable (Result<URL, JWKSFetchFailure>) -> Void) {
        var base = issuer
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base + "/.well-known/openid-configuration") else {
            completion(.failure(.discovery("issuer is not a URL")))
            return
        }
        get(url) { result in
            switch result {
            case .failure(let failure):
                completion(.failure(.discovery(failure.description)))
            case .success(let document):
                completion(Self.jwksURI(in: document.bytes, issuer: issuer))
            }
        }
    }

    static func jwksURI(in bytes: [UInt8], issuer: String) -> Result<URL, JWKSFetchFailure> {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)),
              let fields = object as? [String: Any] else {
            return .failure(.discovery("document is not a JSON object"))
        }
        guard let named = fields["issuer"] as? String, named == issuer else {
            return .failure(.discovery("document names another issuer"))
        }
        guard let text = fields["jwks_uri"] as? String, let uri = URL(string: text),
              let scheme = uri.scheme?.lowercased(), scheme == "https" || scheme == "http", uri.host != nil else {
            return .failure(.discovery("jwks_uri missing or not an http(s) URL"))
        }
        if issuer.lowercased().hasPrefix("https:") && scheme != "https" {
            return .failure(.discovery("jwks_uri of an https issuer must be https"))
        }
        return .success(uri)
    }
}
