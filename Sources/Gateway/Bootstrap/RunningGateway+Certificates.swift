import Config
import PortcullisTLS

/// The listeners' TLS certificates across reloads: a reload re-reads the certificate and key files
/// (SIGHUP), new handshakes get the new ones, open connections keep their sessions.
extension RunningGateway {
    static func loadCertificates(_ settings: TLSServerSettings, what: String) throws -> TLSServerCertificates {
        do throws(TLSSetupError) { return try TLSServerCertificates(settings: settings) }
        catch { throw StartupError("\(what).\(error.description)") }
    }

    /// The identities a reload to `next` will install, loaded (files read and checked) but not yet
    /// in use, so a failing reload changes nothing. Turning `tls` on or off needs a restart: the
    /// listener's scheme is fixed while it runs.
    func prepareCertificates(_ next: PortcullisConfig) throws -> (TLSServerIdentity?, TLSServerIdentity?) {
        guard (next.tls == nil) == (certificates == nil) else {
            throw StartupError("tls: adding or removing tls needs a restart (the listener's scheme does not change on reload)")
        }
        guard (next.admin?.tls == nil) == (adminCertificates == nil) else {
            throw StartupError("admin.tls: adding or removing tls needs a restart (the listener's scheme does not change on reload)")
        }
        return (try Self.identity(next.tls, what: "tls"), try Self.identity(next.admin?.tls, what: "admin.tls"))
    }

    private static func identity(_ settings: TLSServerSettings?, what: String) throws -> TLSServerIdentity? {
        guard let settings else { return nil }
        do throws(TLSSetupError) { return try TLSServerIdentity(settings: settings) }
        catch { throw StartupError("\(what).\(error.description)") }
    }

    /// Installs what `prepareCertificates` loaded.
    func installCertificates(_ identities: (TLSServerIdentity?, TLSServerIdentity?)) {
        if let identity = identities.0 { certificates?.install(identity) }
        if let identity = identities.1 { adminCertificates?.install(identity) }
    }

    /// Re-reads the current certificate files without changing anything else (what a reload does for
    /// TLS when the configuration file is unchanged).
    public func reloadCertificates() throws {
        try reloading.withLock { installCertificates(try prepareCertificates(config)) }
    }
}

/// Takes part in every reload: loads the next configuration's certificates (failing the reload when
/// they do not load) and installs them once the reload commits.
struct CertificateReloadParticipant: ReloadParticipant {
    let gateway: RunningGateway

    func prepare(_ next: PortcullisConfig) throws -> @Sendable () -> Void {
        let identities = try gateway.prepareCertificates(next)
        return { [gateway] in gateway.installCertificates(identities) }
    }
}
