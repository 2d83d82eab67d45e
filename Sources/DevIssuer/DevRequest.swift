/// A fully-read HTTP request handed to the development issuer by the I/O layer.
///
/// Headers stay an ordered list (never a dictionary) so a repeated header is visible
/// and can be refused instead of silently merged.
public struct DevRequest: Sendable {
    /// The method, e.g. `GET`, `POST` (compared case-sensitively, as RFC 9110 requires).
    public var method: String
    /// The path without the query, e.g. `/oauth/token`.
    public var path: String
    /// The raw query string after `?` (empty when absent), still percent-encoded.
    public var query: String
    /// The header fields in arrival order.
    public var headers: [(name: String, value: String)]
    /// The request body.
    public var body: [UInt8]

    /// Creates a request.
    public init(method: String, path: String, query: String = "",
                headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// All values of the header `name` (case-insensitive), in order.
    func headerValues(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// The media type of `Content-Type`, lower-cased, without parameters (`""` when absent).
    var mediaType: String {
        guard let value = headerValues("Content-Type").first else { return "" }
        let type = value.prefix { $0 != ";" }
        return type.trimmingSpaces.lowercased()
    }
}

extension StringProtocol where SubSequence == Substring {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var trimmed = self[...]
        while let first = trimmed.first, first == " " || first == "\t" { trimmed = trimmed.dropFirst() }
        while let last = trimmed.last, last == " " || last == "\t" { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}
