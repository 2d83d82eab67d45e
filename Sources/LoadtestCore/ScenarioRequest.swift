/// One request of a scenario: what to send, and how often relative to the others.
public struct ScenarioRequest: Sendable, Equatable {
    /// One header line, in file order (headers are an ordered list, never a dictionary).
    public struct Header: Sendable, Equatable {
        /// Field name as written.
        public let name: String
        /// Field value, surrounding spaces and tabs removed.
        public let value: String

        /// Memberwise initializer.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Label used in reports; defaults to `METHOD path`.
    public let name: String
    /// HTTP method token, e.g. `GET`.
    public let method: String
    /// Origin-form request target, appended to the target URL's base path.
    public let path: String
    /// Extra headers in order. Never contains `Host`, `Content-Length`, `Transfer-Encoding` or `Connection`.
    public let headers: [Header]
    /// Body bytes (empty when none); `Content-Length` is added by the load generator.
    public let body: [UInt8]
    /// Relative frequency, 1...10000.
    public let weight: Int
    /// Whether the request carries `Authorization: Bearer <token>` taken from the token mix.
    public let bearer: Bool

    /// Memberwise initializer (no validation: use `Scenario.decode` for user input).
    public init(name: String, method: String, path: String, headers: [Header], body: [UInt8], weight: Int, bearer: Bool) {
        self.name = name
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.weight = weight
        self.bearer = bearer
    }
}
