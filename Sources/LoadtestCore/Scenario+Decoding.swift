import FoundationEssentials

extension Scenario {
    /// The file's shape before validation.
    private struct RawScenario: Decodable {
        static let fields: Set<String> = ["name", "description", "requests"]
        var name: String?
        var description: String?
        var requests: [RawRequest]
    }

    /// The keys of the document and of each request, to reject misspelled fields (`wieght`)
    /// instead of silently ignoring them.
    private struct FieldNames: Decodable {
        var top: [String]
        var requests: [[String]]

        private struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            top = container.allKeys.map(\.stringValue).sorted()
            var list = try container.nestedUnkeyedContainer(forKey: AnyKey(stringValue: "requests"))
            var requests: [[String]] = []
            while !list.isAtEnd {
                requests.append(try list.nestedContainer(keyedBy: AnyKey.self).allKeys.map(\.stringValue).sorted())
            }
            self.requests = requests
        }
    }

    private struct RawRequest: Decodable {
        static let fields: Set<String> = ["name", "method", "path", "headers", "body", "weight", "bearer"]
        var name: String?
        var method: String?
        var path: String
        var headers: [String]?
        var body: String?
        var weight: Int?
        var bearer: Bool?
    }

    /// Decodes and validates a scenario file. Every error names the JSON path of the offending value.
    public static func decode(json: [UInt8]) throws(ScenarioError) -> Scenario {
        let raw: RawScenario
        do {
            raw = try JSONDecoder().decode(RawScenario.self, from: Data(json))
            try rejectUnknownFields(try JSONDecoder().decode(FieldNames.self, from: Data(json)))
        } catch let error as ScenarioError {
            throw error
        } catch let error as DecodingError {
            throw ScenarioError(decoding: error)
        } catch {
            throw ScenarioError(.invalidJSON, at: "", "not a JSON document")
        }
        guard !raw.requests.isEmpty else {
            throw ScenarioError(.noRequests, at: "requests", "must list at least one request")
        }
        var requests: [ScenarioRequest] = []
        for (index, request) in raw.requests.enumerated() {
            requests.append(try validate(request, at: "requests[\(index)]"))
        }
        guard requests.reduce(0, { $0 + $1.weight }) <= WeightedPicker.maximumCycleLength else {
            throw ScenarioError(.invalidWeight, at: "requests", "the weights add up to more than \(WeightedPicker.maximumCycleLength)")
        }
        return Scenario(name: raw.name ?? "scenario", requests: requests)
    }

    private static func rejectUnknownFields(_ names: FieldNames) throws(ScenarioError) {
        if let unknown = names.top.first(where: { !RawScenario.fields.contains($0) }) {
            throw ScenarioError(.unknownField, at: unknown, "is not a scenario field")
        }
        for (index, keys) in names.requests.enumerated() {
            if let unknown = keys.first(where: { !RawRequest.fields.contains($0) }) {
                throw ScenarioError(.unknownField, at: "requests[\(index)].\(unknown)", "is not a request field")
            }
        }
    }

    private static func validate(_ raw: RawRequest, at path: String) throws(ScenarioError) -> ScenarioRequest {
        let method = raw.method ?? "GET"
        guard !method.isEmpty, method.utf8.count <= 32, method.utf8.allSatisfy(HTTPSyntax.isTokenByte) else {
            throw ScenarioError(.invalidMethod, at: path + ".method", "must be an HTTP method token such as GET")
        }
        guard raw.path.utf8.first == UInt8(ascii: "/"), raw.path.utf8.count <= 8192,
              raw.path.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else {
            throw ScenarioError(.invalidPath, at: path + ".path",
                                "must start with / and hold no spaces or control characters")
        }
        let weight = raw.weight ?? 1
        guard (1...10_000).contains(weight) else {
            throw ScenarioError(.invalidWeight, at: path + ".weight", "must be an integer in 1...10000")
        }
        let bearer = raw.bearer ?? false
        var headers: [ScenarioRequest.Header] = []
        for (index, line) in (raw.headers ?? []).enumerated() {
            let headerPath = path + ".headers[\(index)]"
            guard let header = HTTPSyntax.parseHeaderLine(line) else {
                throw ScenarioError(.invalidHeader, at: headerPath, "must be \"Name: value\" with no CR, LF or NUL")
            }
            let lower = header.name.lowercased()
            if HTTPSyntax.generatedHeaders.contains(lower) || (bearer && lower == "authorization") {
                throw ScenarioError(.reservedHeader, at: headerPath, "\(header.name) is set by loadtest itself")
            }
            headers.append(header)
        }
        return ScenarioRequest(name: raw.name ?? "\(method) \(raw.path)", method: method, path: raw.path,
                               headers: headers, body: Array((raw.body ?? "").utf8), weight: weight, bearer: bearer)
    }
}

extension ScenarioError {
    /// Maps Foundation's decoding error to a path-named scenario error.
    init(decoding error: DecodingError) {
        switch error {
        case .keyNotFound(let key, let context):
            self.init(.missingField, at: Self.path(context.codingPath + [key]), "is required")
        case .typeMismatch(let type, let context):
            self.init(.wrongType, at: Self.path(context.codingPath), "must be \(Self.jsonType(type))")
        case .valueNotFound(let type, let context):
            self.init(.wrongType, at: Self.path(context.codingPath), "must be \(Self.jsonType(type)), not null")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                self.init(.invalidJSON, at: "", "not a valid JSON document")
            } else {
                self.init(.wrongType, at: Self.path(context.codingPath), "has an invalid value")
            }
        @unknown default:
            self.init(.invalidJSON, at: "", "not a valid scenario document")
        }
    }

    /// `requests[1].headers[0]` from a coding path.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var result = ""
        for key in codingPath {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += (result.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return result
    }

    private static func jsonType(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type: return "an integer"
        case is [String].Type: return "an array of strings"
        default: return "of another JSON type"
        }
    }
}
