/// Scope rules shared by all routes: aliases and superuser scopes.
///
/// Invariants: a route's `scopes` are all required and one of its `any_scopes` is required (both
/// may apply); a granted scope counts under its canonical name (``aliases`` maps token names to
/// canonical names, one step, no chains); a granted scope whose canonical name is a superuser scope
/// satisfies every requirement. Comparison is exact and case-sensitive (RFC 6749 §3.3).
///
/// Requirements are compiled once (``requirement(for:)``) into lists of accepted token names, so a
/// decision is a few small-string comparisons: no hashing, no allocation.
public struct ScopePolicy: Sendable {
    /// Token scope name -> canonical scope name.
    public let aliases: [String: String]
    /// Canonical scopes that satisfy any requirement.
    public let superuserScopes: Set<String>
    /// Token names whose canonical name is a superuser scope.
    let superuserNames: [String]

    /// Creates a policy.
    public init(aliases: [String: String] = [:], superuserScopes: Set<String> = ["admin"]) {
        self.aliases = aliases
        self.superuserScopes = superuserScopes
        self.superuserNames = superuserScopes.sorted().flatMap { Self.acceptedNames($0, aliases) }
    }

    /// The canonical name of a granted scope.
    public func canonical(_ scope: String) -> String {
        aliases[scope] ?? scope
    }

    /// Token names whose canonical form is `canonical`: itself unless it is aliased away, plus its aliases.
    static func acceptedNames(_ canonical: String, _ aliases: [String: String]) -> [String] {
        var names: [String] = []
        if aliases[canonical] == nil || aliases[canonical] == canonical { names.append(canonical) }
        names += aliases.filter { $0.value == canonical && $0.key != canonical }.map(\.key).sorted()
        return names
    }

    /// Compiles a route's requirement against these aliases and superusers.
    public func requirement(for route: RouteSpec) -> ScopeRequirement {
        ScopeRequirement(
            allOf: route.allScopes.map { Self.acceptedNames($0, aliases) },
            anyOf: route.anyScopes.flatMap { Self.acceptedNames($0, aliases) },
            superuserNames: route.allScopes.isEmpty && route.anyScopes.isEmpty ? [] : superuserNames,
            required: Self.requiredScopeValue(route))
    }

    /// Decides whether `grantedScopes` (as read from the token) satisfy `route`.
    public func decide(route: RouteSpec, grantedScopes: [String]) -> ScopeDecision {
        requirement(for: route).decide(grantedScopes: grantedScopes)
    }

    /// The RFC 6750 `scope` value for `route`: a sufficient set, i.e. all of `scopes` plus the first
    /// of `any_scopes` (the attribute cannot express alternatives; the description lists them).
    public static func requiredScopeValue(_ route: RouteSpec) -> String {
        var required = route.allScopes
        if let first = route.anyScopes.first, !required.contains(first) { required.append(first) }
        return required.joined(separator: " ")
    }

    /// A human description of the requirement, e.g. `requires scopes a b and one of c, d`.
    public static func requirementDescription(_ route: RouteSpec) -> String {
        var parts: [String] = []
        if !route.allScopes.isEmpty { parts.append("scopes " + route.allScopes.joined(separator: " ")) }
        if !route.anyScopes.isEmpty { parts.append("one of " + route.anyScopes.joined(separator: ", ")) }
        return "requires " + parts.joined(separator: " and ")
    }
}

/// A route's scope requirement compiled against a ``ScopePolicy``: token names, aliases included.
public struct ScopeRequirement: Sendable, Equatable {
    /// One group per `scopes` entry; a granted scope in the group satisfies the entry.
    public let allOf: [[String]]
    /// Accepted names for `any_scopes` (empty = no such requirement).
    public let anyOf: [String]
    /// Names that satisfy everything (empty when the route requires no scope).
    public let superuserNames: [String]
    /// The RFC 6750 `scope` value reported when the requirement is not met.
    public let required: String

    /// Whether the route requires no scope at all.
    public var isEmpty: Bool { allOf.isEmpty && anyOf.isEmpty }

    /// Decides for the scopes granted by a token.
    public func decide(grantedScopes: [String]) -> ScopeDecision {
        if isEmpty { return .allow }
        if Self.intersects(grantedScopes, superuserNames) { return .allow }
        for group in allOf where !Self.intersects(grantedScopes, group) {
            return .insufficientScope(required: required)
        }
        if !anyOf.isEmpty && !Self.intersects(grantedScopes, anyOf) { return .insufficientScope(required: required) }
        return .allow
    }

    @inline(__always)
    private static func intersects(_ granted: [String], _ accepted: [String]) -> Bool {
        for name in accepted {
            for scope in granted where scope == name { return true }
        }
        return false
    }
}

/// Outcome of a scope check.
public enum ScopeDecision: Sendable, Equatable {
    /// The granted scopes satisfy the route.
    case allow
    /// They do not; `required` is the RFC 6750 `scope` attribute value.
    case insufficientScope(required: String)
}
