/// The outcome of matching a method and a normalized path against a ``RouteTable``.
public enum RouteMatch: Sendable, Equatable {
    /// The first route (in file order) matching both path and method, with its `{name}` captures.
    case matched(routeIndex: Int, captures: [PathCapture])
    /// Some route matches the path but none the method: answer 405 with `Allow` (sorted,
    /// `HEAD` included wherever `GET` is).
    case methodNotAllowed(allow: [String])
    /// No route matches the path: answer 404.
    case notFound
}

/// The value of one `{name}` segment of a matched route.
public struct PathCapture: Sendable, Equatable {
    /// Capture name from the pattern.
    public var name: String
    /// The whole path segment (still percent-encoded as normalized, path parameters included).
    public var value: String
    /// Creates a capture.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A route that can never match because an earlier route takes every request it could get.
public struct ShadowedRoute: Sendable, Equatable {
    /// Index of the route that never matches.
    public var shadowed: Int
    /// Index of the earlier route that covers it.
    public var by: Int
    /// Creates a finding.
    public init(shadowed: Int, by: Int) {
        self.shadowed = shadowed
        self.by = by
    }
}

/// A route that cannot be compiled, with the config field at fault.
public struct RouteTableError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Index of the route in the `routes` array.
    public var routeIndex: Int
    /// Config key at fault: `path`, `methods` or `strip_prefix`.
    public var field: String
    /// Safe message.
    public var message: String
    /// Creates an error.
    public init(routeIndex: Int, field: String, message: String) {
        self.routeIndex = routeIndex
        self.field = field
        self.message = message
    }
    /// `routes[i].field: message`.
    public var description: String { "routes[\(routeIndex)].\(field): \(message)" }
}
