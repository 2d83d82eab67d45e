import FoundationEssentials
import JOSE
import Policy

/// Loads and validates a Portcullis configuration file. Every check happens here, at load time:
/// unknown keys, wrong types, out-of-range values, cross-references (route -> upstream, route ->
/// issuer), key-source and algorithm rules, and that referenced files and variables exist.
/// Errors name the JSON path: `routes[2].upstream: no upstream named "billing"`.
public enum ConfigLoader {
    /// Reads and validates the file at `path`; relative file paths inside it resolve against its directory.
    public static func load(path: String,
                            environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigError) -> PortcullisConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(path: path, message: "cannot read the configuration file")
        }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let directory = absolute.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            .joined(separator: "/")
        return try parse(bytes: [UInt8](data), baseDirectory: directory.isEmpty ? "/" : directory,
                         environment: environment)
    }

    /// Validates configuration JSON bytes; relative paths resolve against `baseDirectory`;
    /// `hmac_secret_env` names are looked up in `environment`.
    public static func parse(bytes: [UInt8], baseDirectory: String,
                             environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigError) -> PortcullisConfig {
        let root = ConfigNode(value: try document(bytes), path: "")
        return try Loader(baseDirectory: baseDirectory, environment: environment).config(root)
    }

    /// Nesting limit for configuration files (deeper than any real file needs).
    static let maxDepth = 64

    /// The document, parsed by the one strict JSON parser (JOSE's: duplicate keys, lone
    /// surrogates and trailing data are errors). A UTF-8 byte order mark is skipped. Syntax
    /// errors name the line and column.
    static func document(_ bytes: [UInt8]) throws(ConfigError) -> JSONValue {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let parsed: Result<JSONValue, JSONParseError> = bytes.withUnsafeBytes { all in
            do throws(JSONParseError) {
                return .success(try JSONParser.parse(UnsafeRawBufferPointer(rebasing: all[start...]), maxDepth: maxDepth))
            } catch { return .failure(error) }
        }
        switch parsed {
        case .success(let value): return value
        case .failure(let error):
            var line = 1, column = 1
            for byte in bytes[start..<min(start + error.offset, bytes.count)] {
                if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
            }
            var message = "invalid JSON: \(error.message)"
            if error.reason == .duplicateKey { message += " " + quotedKey(bytes[(start + error.offset)...]) }
            throw ConfigError(path: "line \(line) column \(column)", message: message)
        }
    }

    /// The raw key literal at the start of `rest` (its quotes included, escapes as written).
    private static func quotedKey(_ rest: ArraySlice<UInt8>) -> String {
        var end = rest.startIndex + 1
        while end < rest.endIndex, rest[end] != UInt8(ascii: "\"") {
            end += rest[end] == UInt8(ascii: "\\") ? 2 : 1
        }
        return String(decoding: rest[rest.startIndex..<min(end + 1, rest.endIndex)], as: UTF8.self)
    }

    /// The top-level keys (the public contract of issues 2-4 plus documented additions).
    static let topLevelKeys = [
        "listen", "workers", "upstreams", "routes", "issuers", "scope_aliases", "superuser_scopes", "realm",
        "identity_headers", "limits", "timeouts", "token_cache", "demo_api", "dev_issuer", "log", "admin",
        "cors", "personal_access_tokens", "dpop",
        "access_log", "tls",
    ]
}

/// The validating decoder; one method per section, in sibling `Loader+*.swift` files.
struct Loader {
    let baseDirectory: String
    let environment: [String: String]

    func config(_ root: ConfigNode) throws(ConfigError) -> PortcullisConfig {
        let object = try root.object(allowing: ConfigLoader.topLevelKeys)
        let listen = try listenAddress(try object.required("listen"))
        let workers = try object.optional("workers")?.int(0...1024) ?? 0
        let upstreams = try self.upstreams(try object.required("upstreams"))
        let issuers = try object.optional("issuers").map { (node) throws(ConfigError) in try self.issuers(node) } ?? []
        let pats = try object.optional("personal_access_tokens").map { (node) throws(ConfigError) in try personalAccessTokens(node) }
        let routes = try self.routes(try object.required("routes"), upstreams: upstreams, issuers: issuers,
                                     personalAccessTokens: pats != nil)
        let aliases = try object.optional("scope_aliases").map { (node) throws(ConfigError) in try scopeAliases(node) } ?? [:]
        let superusers = try object.optional("superuser_scopes").map { (node) throws(ConfigError) in
            try scopeList(node, nonEmpty: false)
        } ?? ["admin"]
        var config = PortcullisConfig(listen: listen, workers: workers, upstreams: upstreams, routes: routes,
                                      issuers: issuers, scopeAliases: aliases, superuserScopes: superusers)
        if let node = object.optional("realm") { config.realm = try realm(node) }
        if let node = object.optional("identity_headers") { config.identityHeaders = try identityHeaders(node) }
        if let node = object.optional("limits") { config.limits = try limits(node) }
        if let node = object.optional("timeouts") { config.timeouts = try timeouts(node) }
        if let node = object.optional("token_cache") { config.tokenCache = try tokenCache(node) }
        if let node = object.optional("demo_api") { config.demoAPI = try demoAPI(node) }
        if let node = object.optional("admin") { config.admin = try admin(node) }
        if let node = object.optional("dev_issuer") { config.devIssuer = try devIssuer(node) }
        if let node = object.optional("log") { config.log = try log(node) }
        if let node = object.optional("cors") { config.cors = try cors(node) }
        config.personalAccessTokens = pats
        if let node = object.optional("access_log") { config.accessLog = try accessLog(node) }
        if let node = object.optional("tls") { config.tls = try tlsServer(node, identityHeaders: config.identityHeaders) }
        if let node = object.optional("dpop") { config.dpop = try dpop(node) }
        return config
    }

    /// Absolute path for a path written in the file.
    func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : (baseDirectory.hasSuffix("/") ? baseDirectory : baseDirectory + "/") + path
    }

    func fileExists(_ path: String) -> Bool {
        var isDirectory = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory
    }
}

extension PortcullisConfig {
    /// The compiled per-request policy (routes, scope rules, realm) for the gateway and `explain`.
    public func makeAccessPolicy() throws(RouteTableError) -> AccessPolicy {
        AccessPolicy(routes: try RouteTable(routes: routes),
                     scopes: ScopePolicy(aliases: scopeAliases, superuserScopes: Set(superuserScopes)),
                     realm: realm, cors: cors)
    }
}
