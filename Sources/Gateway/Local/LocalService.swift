import HTTP1

/// A request to an in-process service, read completely (bounded body).
public struct LocalRequest: Sendable {
    public var method: String
    /// The path without the query.
    public var path: String
    /// The raw query (without `?`), empty when absent.
    public var query: String
    public var headers: HTTPHeaders
    public var body: [UInt8]
    public var peer: String

    public init(method: String, path: String, query: String, headers: HTTPHeaders, body: [UInt8], peer: String) {
        self.method = method; self.path = path; self.query = query
        self.headers = headers; self.body = body; self.peer = peer
    }
}

/// An in-process HTTP service (the demo API, the development issuer, the admin endpoints) served by
/// `LocalServer`.
public protocol LocalService: Sendable {
    func handle(_ request: LocalRequest) -> LocalResponse
    /// Answers at once (non-nil), or returns nil and calls `completion` later, from any queue (an
    /// answer that needs other loops' data, like a `/metrics` scrape). Default: `handle(_:)`.
    func handle(_ request: LocalRequest, completion: @escaping @Sendable (LocalResponse) -> Void) -> LocalResponse?
}

extension LocalService {
    public func handle(_ request: LocalRequest, completion: @escaping @Sendable (LocalResponse) -> Void) -> LocalResponse? {
        handle(request)
    }
}
