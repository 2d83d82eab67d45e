// swift-tools-version:6.0
// Portcullis: a token-validating reverse proxy. No package dependencies by design:
// Foundation, Dispatch, Glibc and the system OpenSSL (libssl-dev) only.
import PackageDescription

/// Hot-path modules skip the dynamic exclusivity checks in release builds (the static checks stay):
/// they showed up as ~1–2% of the gateway's CPU under load (`swift_beginAccess`).
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "Portcullis",
    products: [
        .executable(name: "portcullis", targets: ["portcullis"]),
        .executable(name: "loadtest", targets: ["loadtest"]),
    ],
    targets: [
        // The only place C is visible.
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),
        // Linux headers Glibc does not export (epoll, TCP options).
        .systemLibrary(name: "CSystem", path: "Sources/CSystem"),
        // The one lock type (`Locked`: a value behind a pthread mutex, which ThreadSanitizer can see;
        // `Synchronization.Mutex` it cannot). Stdlib + Glibc only, so every module may use it.
        .target(name: "Locks"),
        // Pure: the one base64url codec and the one JSON string escaper (stdlib only).
        .target(name: "TextCoding", swiftSettings: hotPath),
        // Owns every EVP_PKEY / EVP_MD_CTX: verify, sign, HMAC, digests, constant-time compare.
        .target(name: "PortcullisCrypto", dependencies: ["COpenSSL", "Locks", "TextCoding"]),
        // TLS sessions over memory (a StreamTransform for TCPStream), server certificates with
        // SNI, upstream client contexts. Owns every SSL / SSL_CTX.
        .target(name: "PortcullisTLS", dependencies: ["COpenSSL", "IO", "Locks", "PortcullisCrypto"]),
        // Pure: incremental HTTP/1.1 parser and serializer. No sockets, no clocks.
        .target(name: "HTTP1", swiftSettings: hotPath),
        // Pure: JWS/JWT parsing, JWK keys, claim checks, JWKS cache policy. Time is a parameter.
        .target(name: "JOSE", dependencies: ["Locks", "PortcullisCrypto", "TextCoding"], swiftSettings: hotPath),
        // Pure: compiled route table, path normalization, scope decisions, challenges.
        .target(name: "Policy", dependencies: ["TextCoding"], swiftSettings: hotPath),
        // Logging and counters.
        .target(name: "Telemetry", dependencies: ["Locks", "TextCoding"]),
        // Sockets, epoll-per-queue event loops, timers, the Clock seam.
        .target(name: "IO", dependencies: ["CSystem", "Locks"], swiftSettings: hotPath),
        // Development OAuth 2.0 authorization server: pure request -> response handler, mints JWTs.
        .target(name: "DevIssuer", dependencies: ["Locks", "PortcullisCrypto", "JOSE", "TextCoding"]),
        // Load generator internals: histogram, scenarios, reports (pure, testable).
        .target(name: "LoadtestCore", dependencies: ["TextCoding"]),
        // Validated configuration: file -> raw model -> checked model, errors name the JSON path.
        .target(name: "Config", dependencies: ["Policy", "JOSE", "PortcullisTLS"]),
        // Connection flow, the pipeline (extract -> verify -> decide -> proxy), upstream pool,
        // JWKS fetcher, dev issuer, demo API.
        .target(name: "Gateway", dependencies: ["IO", "HTTP1", "JOSE", "Policy", "Config", "Telemetry", "PortcullisCrypto", "DevIssuer", "Locks", "TextCoding"], swiftSettings: hotPath),
        .executableTarget(name: "portcullis", dependencies: ["Gateway", "Config"]),
        .executableTarget(name: "loadtest", dependencies: ["IO", "HTTP1", "Telemetry", "LoadtestCore", "PortcullisTLS", "PortcullisCrypto"], path: "loadtest",
                          exclude: ["scenarios", "tools", "README.md", "BENCHMARK-loadtest-vs-wrk.md"]),

        // Test support only (never a dependency of a production target): the one way the tests start
        // programs, posix_spawn (Foundation's Process over-reads /proc/self/fd: see ProcessSpawn.swift).
        .target(name: "TestProcessSupport", path: "Tests/Support/TestProcessSupport"),

        .testTarget(name: "TextCodingTests", dependencies: ["TextCoding"]),
        .testTarget(name: "HTTP1Tests", dependencies: ["HTTP1"]),
        .testTarget(name: "PortcullisCryptoTests", dependencies: ["PortcullisCrypto"]),
        .testTarget(name: "JOSETests", dependencies: ["JOSE", "Locks", "TextCoding"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PolicyTests", dependencies: ["Policy"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "JOSE"]),
        .testTarget(name: "DevIssuerTests", dependencies: ["DevIssuer", "JOSE", "PortcullisCrypto", "TextCoding"]),
        .testTarget(name: "LoadtestCoreTests", dependencies: ["LoadtestCore", "TestProcessSupport"]),
        .testTarget(name: "IOTests", dependencies: ["IO"]),
        .testTarget(name: "PortcullisTLSTests", dependencies: ["PortcullisTLS", "IO", "COpenSSL", "TestProcessSupport"]),
        .testTarget(name: "TelemetryTests", dependencies: ["Telemetry"]),
        // Replays every fuzz corpus through the fuzz targets' invariant checks (fuzz/Invariants, shared
        // with the libFuzzer binary that fuzz/run.sh builds from fuzz/Entry).
        .testTarget(name: "FuzzReplayTests", dependencies: ["HTTP1", "Policy", "JOSE", "Config", "TextCoding"],
                    path: "fuzz", exclude: ["Entry", "corpus", "regressions", "tools", "run.sh"],
                    sources: ["Invariants", "Replay"]),
        .testTarget(name: "GatewayTests", dependencies: ["Gateway", "Config", "HTTP1", "IO", "Locks", "TestProcessSupport"]),
    ]
)
