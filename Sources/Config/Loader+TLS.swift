import PortcullisTLS

/// `tls` of the listener (and of `admin`), and `tls` of an upstream. Files are loaded and checked
/// here, at load time (readable, PEM, key matching its certificate, CA file present when client
/// certificates are asked for), so `check` reports what `serve` would fail on.
extension Loader {
    /// A listener's `tls` object: `certificates[]`, `min_version`, `client_certificate`,
    /// `client_ca_file`, `session_resumption`, and on the gateway listener (`identityHeaders` given:
    /// the listener that forwards requests) `client_certificate_headers`.
    func tlsServer(_ node: ConfigNode, identityHeaders: [IdentityHeader]? = nil) throws(ConfigError) -> TLSServerSettings {
        let object = try node.object(allowing: ["certificates", "min_version", "client_ca_file", "client_certificate", "session_resumption",
                                                "client_certificate_headers"])
        var entries: [TLSCertificateEntry] = []
        for item in try object.required("certificates").array(nonEmpty: true) {
            let entry = try item.object(allowing: ["certificate_file", "private_key_file", "server_names"])
            var names: [String] = []
            if let n = entry.optional("server_names") {
                for nameNode in try n.array() {
                    let name = try nameNode.string()
                    guard ServerNameMatcher.isValid(name) else {
                        throw nameNode.error("expected a DNS name or *.name.tld (one wildcard label), got \"\(name)\"")
                    }
                    names.append(name)
                }
            }
            entries.append(TLSCertificateEntry(certificateFile: resolve(try entry.required("certificate_file").string()),
                                               privateKeyFile: resolve(try entry.required("private_key_file").string()),
                                               serverNames: names))
        }
        var settings = TLSServerSettings(certificates: entries)
        if let n = object.optional("min_version") {
            let text = try n.string()
            guard let version = TLSVersion(rawValue: text) else { throw n.error("expected \"1.2\" or \"1.3\", got \"\(text)\"") }
            settings.minVersion = version
        }
        if let n = object.optional("client_certificate") {
            let text = try n.string()
            guard let mode = ClientCertificateMode(rawValue: text) else {
                throw n.error("expected \"none\", \"optional\" or \"required\", got \"\(text)\"")
            }
            settings.clientCertificate = mode
        }
        if let n = object.optional("client_ca_file") { settings.clientCAFile = resolve(try n.string()) }
        if let n = object.optional("session_resumption") { settings.sessionResumption = try n.bool() }
        if let n = object.optional("client_certificate_headers") {
            guard let identityHeaders else { throw n.error("only the gateway listener forwards requests (not allowed here)") }
            guard settings.clientCertificate != .none else {
                throw n.error("needs client_certificate \"optional\" or \"required\" (with \"none\" no certificate is asked for)")
            }
            settings.clientCertificateHeaders = try clientCertificateHeaders(n, identityHeaders: identityHeaders)
        }
        do throws(TLSSetupError) { _ = try TLSServerIdentity(settings: settings) }
        catch { throw ConfigError(path: "\(node.displayPath).\(error.path)", message: error.message) }
        return settings
    }

    /// `client_certificate_headers`: header name -> field (`subject`, `issuer`, `serial`, `sha256`,
    /// `not_after`); names checked like `identity_headers` and never one of them (nor an `_`
    /// spelling of one); sorted by header name.
    func clientCertificateHeaders(_ node: ConfigNode, identityHeaders: [IdentityHeader]) throws(ConfigError) -> [ClientCertificateHeader] {
        var result: [ClientCertificateHeader] = []
        for (header, child) in try node.map() {
            try checkForwardedHeaderName(header, child, role: "a client certificate header")
            if result.contains(where: { Self.sameForwardedName($0.header, header) }) {
                throw child.error("duplicate header (names are case-insensitive, '_' counts as '-')")
            }
            if let clash = identityHeaders.first(where: { Self.sameForwardedName($0.header, header) }) {
                throw child.error("\(clash.header) is already an identity header (identity_headers)")
            }
            let text = try child.string()
            guard let field = ClientCertificateField(rawValue: text) else {
                let known = ClientCertificateField.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                throw child.error("expected one of \(known), got \"\(text)\"")
            }
            result.append(ClientCertificateHeader(header: header, field: field))
        }
        return result.sorted { $0.header < $1.header }
    }

    /// An upstream's `tls` object: `ca_file`, `server_name`, `verify`, `certificate_file`,
    /// `private_key_file`.
    func tlsClient(_ node: ConfigNode) throws(ConfigError) -> TLSClientSettings {
        let object = try node.object(allowing: ["ca_file", "server_name", "verify", "certificate_file", "private_key_file"])
        var settings = TLSClientSettings()
        if let n = object.optional("ca_file") { settings.caFile = resolve(try n.string()) }
        if let n = object.optional("server_name") {
            let name = try n.string()
            guard ServerNameMatcher.isValid(name), !name.hasPrefix("*") else { throw n.error("expected a DNS name, got \"\(name)\"") }
            settings.serverName = name
        }
        if let n = object.optional("verify") { settings.verify = try n.bool() }
        if let n = object.optional("certificate_file") { settings.certificateFile = resolve(try n.string()) }
        if let n = object.optional("private_key_file") { settings.privateKeyFile = resolve(try n.string()) }
        do throws(TLSSetupError) { _ = try TLSClientContext(settings: settings) }
        catch {
            let path = error.path.isEmpty ? node.displayPath : "\(node.displayPath).\(error.path.hasPrefix(".") ? String(error.path.dropFirst()) : error.path)"
            throw ConfigError(path: path, message: error.message)
        }
        return settings
    }
}
