/// A request mix read from a JSON scenario file, with its deterministic weighted picker.
///
/// ```json
/// {"name": "port-calls",
///  "requests": [
///    {"method": "GET", "path": "/v1/port-calls/42", "bearer": true, "weight": 8,
///     "headers": ["Accept: application/json"]},
///    {"method": "POST", "path": "/v1/port-calls", "bearer": true, "weight": 2,
///     "headers": ["Content-Type: application/json"], "body": "{\"vessel\":\"IMO9321483\"}"}]}
/// ```
/// `method` defaults to `GET`, `weight` to 1, `bearer` to false, `headers` to none, `body` to empty.
public struct Scenario: Sendable, Equatable {
    /// Label for reports (the file's `name`, else `scenario`).
    public let name: String
    /// The requests, in file order.
    public let requests: [ScenarioRequest]
    /// Chooses the request index for the `n`th request sent.
    public let picker: WeightedPicker

    /// Builds a scenario from already-valid requests (at least one, weights positive).
    public init(name: String, requests: [ScenarioRequest]) {
        self.name = name
        self.requests = requests
        self.picker = WeightedPicker(weights: requests.map(\.weight))
    }

    /// A one-request scenario: `GET path`, no bearer token. Used when no scenario file is given.
    public static func single(method: String = "GET", path: String, bearer: Bool) -> Scenario {
        Scenario(name: "\(method) \(path)", requests: [
            ScenarioRequest(name: "\(method) \(path)", method: method, path: path, headers: [], body: [],
                            weight: 1, bearer: bearer),
        ])
    }

    /// The request to send as the `n`th request (0-based). Deterministic.
    public func request(forSequence n: UInt64) -> ScenarioRequest {
        requests[picker.pick(n)]
    }

    /// The scenario with every request path prefixed by the target URL's path (`http://h/api` and
    /// `/v1/status` give `/api/v1/status`): what is sent on the wire. Request names are kept.
    public func resolved(against url: TargetURL) -> Scenario {
        Scenario(name: name, requests: requests.map {
            ScenarioRequest(name: $0.name, method: $0.method, path: url.requestTarget(forScenarioPath: $0.path),
                            headers: $0.headers, body: $0.body, weight: $0.weight, bearer: $0.bearer)
        })
    }

    /// Whether any request takes a bearer token (then a token source is required).
    public var needsTokens: Bool { requests.contains { $0.bearer } }
}
