/// What a TLS listener serves (`tls` of the listener in the configuration), with absolute file paths.
public struct TLSServerSettings: Sendable, Equatable {
    /// Certificates with their keys (`certificates`, at least one); SNI picks one, the first is the
    /// default (no SNI, or no entry matches).
    public var certificates: [TLSCertificateEntry]
    /// Lowest protocol version accepted (`min_version`, default 1.2).
    public var minVersion: TLSVersion
    /// Whether clients are asked for a certificate (`client_certificate`, default `none`).
    public var clientCertificate: ClientCertificateMode
    /// CAs that client certificates must chain to (`client_ca_file`; needed unless `none`).
    public var clientCAFile: String?
    /// TLS 1.3 tickets and TLS 1.2 session cache and tickets (`session_resumption`, default true).
    public var sessionResumption: Bool
    /// Headers set on forwarded requests from the verified client certificate
    /// (`client_certificate_headers`, default none; the gateway listener only), sorted by name.
    public var clientCertificateHeaders: [ClientCertificateHeader]

    /// Settings with the documented defaults.
    public init(certificates: [TLSCertificateEntry], minVersion: TLSVersion = .v1_2,
                clientCertificate: ClientCertificateMode = .none, clientCAFile: String? = nil,
                sessionResumption: Bool = true, clientCertificateHeaders: [ClientCertificateHeader] = []) {
        self.certificates = certificates
        self.minVersion = minVersion
        self.clientCertificate = clientCertificate
        self.clientCAFile = clientCAFile
        self.sessionResumption = sessionResumption
        self.clientCertificateHeaders = clientCertificateHeaders
    }
}

/// One served certificate (`tls.certificates[i]`).
public struct TLSCertificateEntry: Sendable, Equatable {
    /// PEM certificate followed by its chain (`certificate_file`).
    public var certificateFile: String
    /// PEM private key, RSA or EC (`private_key_file`). Never read into a message.
    public var privateKeyFile: String
    /// Exact names or `*.example.com` (one label) (`server_names`, optional).
    public var serverNames: [String]

    /// Creates an entry.
    public init(certificateFile: String, privateKeyFile: String, serverNames: [String] = []) {
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
        self.serverNames = serverNames
    }
}

/// `min_version`: `"1.2"` or `"1.3"`.
public enum TLSVersion: String, Sendable, Equatable {
    case v1_2 = "1.2"
    case v1_3 = "1.3"
}

/// `client_certificate`: `none`, `optional` (a certificate that is sent must verify), `required`.
public enum ClientCertificateMode: String, Sendable, Equatable {
    case none, optional, required
}

/// How the gateway connects to one upstream over TLS (`upstreams.<name>.tls`), absolute paths.
public struct TLSClientSettings: Sendable, Equatable {
    /// CAs trusted for the upstream's certificate (`ca_file`; default: the system store).
    public var caFile: String?
    /// Name sent as SNI and checked against the certificate (`server_name`; default: the target's host).
    public var serverName: String?
    /// Whether the certificate and name are verified (`verify`, default true).
    public var verify: Bool
    /// Client certificate for upstream mTLS (`certificate_file`, with `private_key_file`).
    public var certificateFile: String?
    /// Its private key (`private_key_file`).
    public var privateKeyFile: String?

    /// Settings with the documented defaults.
    public init(caFile: String? = nil, serverName: String? = nil, verify: Bool = true,
                certificateFile: String? = nil, privateKeyFile: String? = nil) {
        self.caFile = caFile
        self.serverName = serverName
        self.verify = verify
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
    }
}
