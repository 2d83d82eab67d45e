/// Why a scenario file was rejected, with the JSON path of the offending value
/// (e.g. `requests[2].headers[0]`).
public struct ScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable failure codes, one per cause.
    public enum Code: String, Sendable {
        /// The file is not valid JSON.
        case invalidJSON = "scenario.invalid_json"
        /// A required field is absent.
        case missingField = "scenario.missing_field"
        /// A field has the wrong JSON type.
        case wrongType = "scenario.wrong_type"
        /// A field name the format does not define (often a misspelling).
        case unknownField = "scenario.unknown_field"
        /// `requests` is empty.
        case noRequests = "scenario.no_requests"
        /// `method` is not an HTTP token.
        case invalidMethod = "scenario.invalid_method"
        /// `path` does not start with `/` or holds a space or control character.
        case invalidPath = "scenario.invalid_path"
        /// A header is not `Name: value` with a token name and a value free of CR, LF and NUL.
        case invalidHeader = "scenario.invalid_header"
        /// A header the load generator sets itself (`Host`, `Content-Length`, `Transfer-Encoding`,
        /// `Connection`, or `Authorization` on a request that takes a bearer token).
        case reservedHeader = "scenario.reserved_header"
        /// `weight` is not in 1...10000, or the weights add up to more than 1000000.
        case invalidWeight = "scenario.invalid_weight"
        /// The file could not be read.
        case unreadable = "scenario.unreadable"
    }

    /// The failure code.
    public let code: Code
    /// JSON path of the offending value; empty for the whole document.
    public let path: String
    /// Safe human description.
    public let detail: String

    /// Creates an error.
    public init(_ code: Code, at path: String, _ detail: String) {
        self.code = code
        self.path = path
        self.detail = detail
    }

    /// `path: detail [code]`.
    public var description: String {
        (path.isEmpty ? "scenario" : path) + ": " + detail + " [\(code.rawValue)]"
    }
}
