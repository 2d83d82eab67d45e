import Policy
import PortcullisTLS
#if canImport(Glibc)
import Glibc
#endif

extension ConfigLoader {
    /// Findings of `portcullis check` that do not stop the gateway: expired TLS certificates, routes shadowed by an earlier
    /// route, aliases whose target no route requires, protected routes with no issuer configured,
    /// JWKS fetched over plain HTTP from a non-loopback host, and a development issuer whose tokens
    /// no `issuers[]` entry accepts. (A route naming a missing upstream
    /// is already a load error.)
    /// `now` (Unix seconds) decides which certificates count as expired.
    public static func warnings(for config: PortcullisConfig, now: Int64 = Int64(time(nil))) -> [ConfigWarning] {
        var warnings: [ConfigWarning] = []
        for (prefix, tls) in [("tls", config.tls), ("admin.tls", config.admin?.tls)] {
            for (i, entry) in (tls?.certificates ?? []).enumerated()
            where CertificateExpiry.isExpired(pemFile: entry.certificateFile, now: now) == true {
                warnings.append(ConfigWarning(path: "\(prefix).certificates[\(i)].certificate_file",
                                              message: "the certificate in \"\(entry.certificateFile)\" has expired"))
            }
        }
        if let table = try? RouteTable(routes: config.routes) {
            for finding in table.shadowedRoutes() {
                warnings.append(ConfigWarning(
                    path: "routes[\(finding.shadowed)]",
                    message: "never matches: routes[\(finding.by)] (\(config.routes[finding.by].path)) takes every request it could match"))
            }
        }
        let required = Set(config.routes.flatMap { $0.allScopes + $0.anyScopes })
        for (alias, target) in config.scopeAliases.sorted(by: { $0.key < $1.key }) where !required.contains(target) {
            warnings.append(ConfigWarning(path: "scope_aliases.\(alias)",
                                          message: "alias target \"\(target)\" is not required by any route"))
        }
        if config.issuers.isEmpty {
            for route in config.routes where !route.isPublic {
                warnings.append(ConfigWarning(path: "routes[\(route.index)]",
                                              message: "no issuers are configured, so this protected route always answers 401"))
            }
        }
        for (i, issuer) in config.issuers.enumerated() {
            if case .jwksURI(let uri)? = issuer.keySource, uri.hasPrefix("http://"), !isLoopbackURL(uri) {
                warnings.append(ConfigWarning(path: "issuers[\(i)].jwks_uri",
                                              message: "keys fetched over plain http from a non-loopback host can be spoofed in transit"))
            }
        }
        if let dev = config.devIssuer, !config.issuers.contains(where: { $0.issuer == dev.issuer }) {
            warnings.append(ConfigWarning(path: "dev_issuer.issuer",
                                          message: "tokens of the development issuer are not accepted: no issuers[] entry has issuer \"\(dev.issuer)\""))
        }
        return warnings
    }

    private static func isLoopbackURL(_ uri: String) -> Bool {
        ["http://127.", "http://localhost:", "http://localhost/", "http://[::1]"].contains { uri.hasPrefix($0) }
    }
}
