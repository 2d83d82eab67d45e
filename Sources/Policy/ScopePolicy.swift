/// Scope rules shared by all routes: aliases and superuser scopes.
///
/// Invariants: a route's `scopes` are all required and one of its `any_scopes` is required (both
/// may apply); a granted scope counts under its canonical name (``aliases`` maps token names to
/// canonical names); a granted superuser scope (after aliasing) satisfies every requirement.
/// Comparison is exact and case-sensitive (RFC 6749 §3.3).
public struct ScopePolicy: Sendable {
    /// Token scope name -> canonical scope name.
    public let aliases: [String: String]
    /// Canonical scopes that satisfy any requirement.
    public let superuserScopes: Set<String>

    /// Creates a policy.
    public init(aliases: [String: String] = [:], superuserScopes: Set<String> = ["admin"]) {
        self.aliases = aliases
        self.superuserScopes = superuserScopes
    }

    /// The canonical name of a granted scope.
    @inline(__always)
    public func canonical(_ scope: String) -> String {
        aliases.isEmpty ? scope : (aliases[scope] ?? scope)
    }

    /// Decides whether `grantedScopes` (as read from the token) satisfy `route`.
    public func decide(route: RouteSpec, grantedScopes: [String]) -> ScopeDecision {
        if route.allScopes.isEmpty && route.anyScopes.isEmpty { return .allow }
        let granted = aliases.isEmpty ? grantedScopes : grantedScopes.map(canonical)
        if !superuserScopes.isEmpty && granted.contains(where: superuserScopes.contains) { return .allow }
        let hasAll = route.allScopes.allSatisfy(granted.contains)
        let hasAny = route.anyScopes.isEmpty || route.anyScopes.contains(where: granted.contains)
        if hasAll && hasAny { return .allow }
        return .insufficientScope(required: Self.requiredScopeValue(route))
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

/// Outcome of a scope check.
public enum ScopeDecision: Sendable, Equatable {
    /// The granted scopes satisfy the route.
    case allow
    /// They do not; `required` is the RFC 6750 `scope` attribute value.
    case insufficientScope(required: String)
}
