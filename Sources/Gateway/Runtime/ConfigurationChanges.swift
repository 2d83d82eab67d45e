import Config
import Policy

/// What a reload changed, for its log line: `routes +2 -1, upstreams ~1, issuers unchanged (1 kept
/// with its keys and cached tokens), changed: limits, timeouts; restart to apply: workers`.
public struct ConfigurationChanges: Sendable, CustomStringConvertible {
    /// Routes in the new file but not the old one / in the old but not the new (compared whole).
    public let routesAdded: Int
    public let routesRemoved: Int
    /// Upstreams by name: added, removed, settings changed.
    public let upstreams: (added: Int, removed: Int, changed: Int)
    /// Issuers by `issuer`: added, removed, settings changed; `kept` = runtimes carried over.
    public let issuers: (added: Int, removed: Int, changed: Int, kept: Int)
    /// Other sections applied by the reload whose value changed (`listen`, `limits`, ...).
    public let changedSections: [String]
    /// Sections that changed but only take effect after a restart (`workers`, `admin`, ...).
    public let needRestart: [String]

    public init(from old: PortcullisConfig, to new: PortcullisConfig, keptIssuers: Int) {
        // Compared whole except for their position (a route moved down by an insertion is unchanged).
        func unplaced(_ routes: [RouteSpec]) -> [RouteSpec] { routes.map { var r = $0; r.index = 0; return r } }
        var remaining = unplaced(old.routes)
        var added = 0
        for route in unplaced(new.routes) {
            if let i = remaining.firstIndex(of: route) { remaining.remove(at: i) } else { added += 1 }
        }
        routesAdded = added
        routesRemoved = remaining.count
        upstreams = Self.keyed(old.upstreams, new.upstreams)
        let i = Self.keyed(Dictionary(old.issuers.map { ($0.issuer, $0) }, uniquingKeysWith: { a, _ in a }),
                           Dictionary(new.issuers.map { ($0.issuer, $0) }, uniquingKeysWith: { a, _ in a }))
        issuers = (i.added, i.removed, i.changed, keptIssuers)
        var changed: [String] = []
        if old.listen != new.listen { changed.append("listen") }
        if old.scopeAliases != new.scopeAliases { changed.append("scope_aliases") }
        if old.superuserScopes != new.superuserScopes { changed.append("superuser_scopes") }
        if old.realm != new.realm { changed.append("realm") }
        if old.identityHeaders != new.identityHeaders { changed.append("identity_headers") }
        if old.limits != new.limits { changed.append("limits") }
        if old.timeouts != new.timeouts { changed.append("timeouts") }
        if old.tokenCache != new.tokenCache { changed.append("token_cache") }
        if old.cors != new.cors { changed.append("cors") }
        if old.tls?.clientCertificateHeaders != new.tls?.clientCertificateHeaders { changed.append("tls.client_certificate_headers") }
        // The file is read again on every reload; this names a change of the setting itself.
        if old.personalAccessTokens != new.personalAccessTokens { changed.append("personal_access_tokens") }
        changedSections = changed
        var restart: [String] = []
        if old.workers != new.workers { restart.append("workers") }
        if old.admin != new.admin { restart.append("admin") }
        if old.demoAPI != new.demoAPI { restart.append("demo_api") }
        if old.devIssuer != new.devIssuer { restart.append("dev_issuer") }
        if old.log != new.log { restart.append("log") }
        needRestart = restart
    }

    private static func keyed<V: Equatable>(_ old: [String: V], _ new: [String: V]) -> (added: Int, removed: Int, changed: Int) {
        let added = new.keys.filter { old[$0] == nil }.count
        let removed = old.keys.filter { new[$0] == nil }.count
        let changed = new.filter { name, value in old[name].map { $0 != value } ?? false }.count
        return (added, removed, changed)
    }

    private static func counts(_ name: String, added: Int, removed: Int, changed: Int) -> String {
        if added == 0 && removed == 0 && changed == 0 { return "\(name) unchanged" }
        return "\(name) +\(added) -\(removed)" + (changed > 0 ? " ~\(changed)" : "")
    }

    public var description: String {
        var parts = [Self.counts("routes", added: routesAdded, removed: routesRemoved, changed: 0),
                     Self.counts("upstreams", added: upstreams.added, removed: upstreams.removed, changed: upstreams.changed)]
        var issuerText = Self.counts("issuers", added: issuers.added, removed: issuers.removed, changed: issuers.changed)
        if issuers.kept > 0 { issuerText += " (\(issuers.kept) kept with keys and cached tokens)" }
        parts.append(issuerText)
        var text = parts.joined(separator: ", ")
        if !changedSections.isEmpty { text += "; changed: " + changedSections.joined(separator: ", ") }
        if !needRestart.isEmpty { text += "; restart to apply: " + needRestart.joined(separator: ", ") }
        return text
    }
}
