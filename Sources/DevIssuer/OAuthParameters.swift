import JOSE
/// The parameters of an OAuth request (query, form body or JSON body).
///
/// RFC 6749 §3.1/§3.2: a parameter sent without a value is treated as omitted, and a parameter
/// may not be repeated (a repeat is `invalid_request`, never "first one wins").
struct OAuthParameters {
    private var values: [String: String] = [:]
    /// The first repeated parameter name, if any (checked by `requireNoRepeats`).
    private(set) var repeated: String?

    init(pairs: [(String, String)]) {
        var seen = Set<String>()
        for (name, value) in pairs {
            if !seen.insert(name).inserted { repeated = repeated ?? name }
            if !value.isEmpty { values[name] = value }
        }
    }

    /// The value of `name`; nil when absent or empty.
    subscript(name: String) -> String? { values[name] }

    /// Throws `invalid_request` when a parameter was repeated.
    func requireNoRepeats() throws {
        if repeated != nil { throw OAuthError(.invalidRequest, "A parameter was included more than once.") }
    }

    /// Parameters from a URL query string.
    static func query(_ request: DevRequest) throws -> OAuthParameters {
        guard let pairs = FormEncoding.decodePairs(Array(request.query.utf8)) else {
            throw OAuthError(.invalidRequest, "The query string is malformed.")
        }
        return OAuthParameters(pairs: pairs)
    }

    /// Parameters from a POST body: `application/x-www-form-urlencoded`, or `application/json`
    /// when `allowJSON` (an object whose members are all strings). Repeats are refused.
    static func body(_ request: DevRequest, allowJSON: Bool) throws -> OAuthParameters {
        let parameters: OAuthParameters
        switch request.mediaType {
        case "application/x-www-form-urlencoded":
            guard let pairs = FormEncoding.decodePairs(request.body) else {
                throw OAuthError(.invalidRequest, "The form body is malformed.")
            }
            parameters = OAuthParameters(pairs: pairs)
        case "application/json" where allowJSON:
            // The one strict JSON parser: a repeated member is an error, not silently merged.
            guard let document = try? JSONParser.parse(request.body), case .object(let object) = document else {
                throw OAuthError(.invalidRequest, "The JSON body must be an object without repeated members.")
            }
            var pairs: [(String, String)] = []
            for (name, value) in object {
                guard let string = value.stringValue else {
                    throw OAuthError(.invalidRequest, "Every JSON member must be a string.")
                }
                pairs.append((name, string))
            }
            parameters = OAuthParameters(pairs: pairs)
        default:
            throw OAuthError(.invalidRequest, allowJSON
                ? "The body must be application/x-www-form-urlencoded or application/json."
                : "The body must be application/x-www-form-urlencoded.")
        }
        try parameters.requireNoRepeats()
        return parameters
    }
}
