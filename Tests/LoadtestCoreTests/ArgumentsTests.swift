import XCTest
@testable import LoadtestCore

final class ArgumentsTests: XCTestCase {
    private func parse(_ line: String) throws -> Arguments.Command {
        try Arguments.parse(line.split(separator: " ").map(String.init))
    }

    private func assertRejects(_ line: String, _ code: ArgumentsError.Code, file: StaticString = #filePath, line number: UInt = #line) {
        XCTAssertThrowsError(try parse(line), file: file, line: number) {
            XCTAssertEqual(($0 as? ArgumentsError)?.code, code, "\($0)", file: file, line: number)
        }
    }

    private func runOptions(_ line: String) throws -> RunOptions {
        guard case .run(let options) = try parse(line) else { throw XCTSkip("not a run command") }
        return options
    }

    func testDefaults() throws {
        let options = try runOptions("--url http://127.0.0.1:9100/v1/status")
        XCTAssertEqual(options.url, TargetURL(host: "127.0.0.1", port: 9100, path: "/v1/status"))
        XCTAssertEqual(options.load, LoadOptions())
        XCTAssertEqual(options.load.connections, 64)
        XCTAssertEqual(options.load.durationNanoseconds, 10_000_000_000)
        XCTAssertEqual(options.load.mode, .closedLoop)
        XCTAssertEqual(options.load.tokens, .none)
    }

    func testTLSOptions() throws {
        let trusted = try runOptions("--url https://localhost:8443/v1/status --tls-ca certs/ca.pem")
        XCTAssertTrue(trusted.url.isHTTPS)
        XCTAssertEqual(trusted.load.tlsCAFile, "certs/ca.pem")
        XCTAssertFalse(trusted.load.tlsInsecure)
        let insecure = try runOptions("--url https://localhost:8443 --insecure --connections 2")
        XCTAssertTrue(insecure.load.tlsInsecure)
        XCTAssertEqual(insecure.load.connections, 2)
        assertRejects("--url https://localhost --insecure --tls-ca ca.pem", .conflictingOptions)
        assertRejects("--url https://localhost --insecure=yes", .invalidValue)
    }

    func testDPoPNeedsTokensFromTheIssuer() throws {
        let options = try runOptions("--url http://localhost:8080/v1/x --token-from-issuer http://127.0.0.1:9000 --client-id c --client-secret s --dpop")
        XCTAssertTrue(options.load.dpop)
        XCTAssertTrue(options.load.summary.contains("DPoP"), options.load.summary)
        assertRejects("--url http://localhost --dpop", .conflictingOptions)
        assertRejects("--url http://localhost --tokens t.json --dpop", .conflictingOptions)
    }

    func testFullRunLine() throws {
        let options = try runOptions("""
            run --url http://localhost:9103 --connections 128 --duration 30s --warmup=500ms --rate 20000 \
            --scenario loadtest/scenarios/port-calls.json --token-from-issuer http://127.0.0.1:9000 \
            --client-id bench --client-secret s3cret --scope read:port_calls --distinct-tokens 1000 \
            --mix valid=90,wrong-scope=3,bad-signature=7 --json out.json --svg out.svg
            """)
        XCTAssertEqual(options.load.connections, 128)
        XCTAssertEqual(options.load.durationNanoseconds, 30_000_000_000)
        XCTAssertEqual(options.load.warmupNanoseconds, 500_000_000)
        XCTAssertEqual(options.load.mode, .openLoop(requestsPerSecond: 20_000))
        XCTAssertEqual(options.load.scenarioPath, "loadtest/scenarios/port-calls.json")
        guard case .issuer(let issuer) = options.load.tokens else { return XCTFail("expected issuer tokens") }
        XCTAssertEqual(issuer.clientID, "bench")
        XCTAssertEqual(issuer.clientSecret, "s3cret")
        XCTAssertFalse(issuer.description.contains("s3cret"), "the secret is never printed")
        XCTAssertEqual(options.load.mix.distinctTokens, 1000)
        XCTAssertEqual(options.load.mix.share(of: .wrongScope), 3)
        XCTAssertEqual(options.load.jsonPath, "out.json")
        XCTAssertEqual(options.load.svgPath, "out.svg")
    }

    func testOverheadCommand() throws {
        guard case .overhead(let options) = try parse("overhead --direct http://127.0.0.1:9100/v1/port-calls/42 --gateway http://127.0.0.1:9103/v1/port-calls/42 --rounds 5 --tokens t.json") else {
            return XCTFail("expected overhead")
        }
        XCTAssertEqual(options.rounds, 5)
        XCTAssertEqual(options.direct.port, 9100)
        XCTAssertEqual(options.gateway.port, 9103)
        XCTAssertEqual(options.load.tokens, .file(path: "t.json"))
    }

    func testHelp() throws {
        XCTAssertEqual(try parse("--help"), .help)
        XCTAssertEqual(try parse("overhead -h"), .help)
        XCTAssertTrue(Arguments.usage.contains("--distinct-tokens"))
    }

    func testRejectsMissingURL() { assertRejects("--connections 4", .missingOption) }
    func testRejectsUnknownOption() { assertRejects("--url http://a --workers 4", .unknownOption) }
    func testRejectsZeroThreadsAndTimeout() {
        assertRejects("--url http://a --threads 0", .invalidValue)
        assertRejects("--url http://a --timeout 0", .invalidValue)
    }

    func testParsesThreadsAndTimeout() throws {
        guard case .run(let options) = try parse("--url http://a --threads 3 --timeout 250ms") else { return XCTFail("not a run") }
        XCTAssertEqual(options.load.threads, 3)
        XCTAssertEqual(options.load.timeoutNanoseconds, 250_000_000)
        guard case .run(let defaults) = try parse("--url http://a") else { return XCTFail("not a run") }
        XCTAssertEqual(defaults.load.threads, 0, "0 = one loop per allowed CPU")
        XCTAssertEqual(defaults.load.timeoutNanoseconds, 5_000_000_000)
    }
    func testRejectsURLOptionInOverhead() { assertRejects("overhead --direct http://a --gateway http://b --url http://c", .unknownOption) }
    func testRejectsMissingValue() { assertRejects("--url http://a --connections", .missingValue) }
    func testRejectsDuplicateOption() { assertRejects("--url http://a --url http://b", .duplicateOption) }
    func testRejectsPositionalWord() { assertRejects("--url http://a extra", .unexpectedArgument) }
    func testRejectsZeroConnections() { assertRejects("--url http://a --connections 0", .invalidValue) }
    func testRejectsZeroRate() { assertRejects("--url http://a --rate 0", .invalidValue) }
    func testRejectsTooManyRounds() { assertRejects("overhead --direct http://a --gateway http://b --rounds 101", .invalidValue) }
    func testRejectsBadMix() { assertRejects("--url http://a --tokens t.json --mix valid=90,forged=10", .invalidValue) }
    func testRejectsMixWithoutTokenSource() { assertRejects("--url http://a --mix valid=1", .conflictingOptions) }
    func testRejectsBothTokenSources() { assertRejects("--url http://a --tokens t.json --token-from-issuer http://i --client-id c --client-secret s", .conflictingOptions) }
    func testAcceptsExpiredShareWithIssuerTokens() throws {
        // Expired tokens come from the development issuer's POST /admin/mint.
        let options = try runOptions("--url http://a --token-from-issuer http://i --client-id c --client-secret s --mix valid=9,expired=1")
        XCTAssertGreaterThan(options.load.mix.share(of: .expired), 0)
    }

    func testWrongScopeDefaultsAndOverride() throws {
        let options = try runOptions("--url http://a --token-from-issuer http://i --client-id c --client-secret s --mix valid=9,wrong-scope=1 --wrong-scope admin")
        guard case .issuer(let issuer) = options.load.tokens else { return XCTFail("expected issuer") }
        XCTAssertEqual(issuer.wrongScope, "admin")
        XCTAssertEqual(issuer.scope, "read:port_calls")
    }

    func testRejectsClientIDWithoutIssuer() { assertRejects("--url http://a --client-id c", .conflictingOptions) }
    func testRejectsIssuerWithoutSecret() { assertRejects("--url http://a --token-from-issuer http://i --client-id c", .missingOption) }

    func testSecretNeverAppearsInErrors() {
        XCTAssertThrowsError(try parse("--url http://a --client-secret hunter2 --client-id c")) {
            XCTAssertFalse(String(describing: $0).contains("hunter2"))
        }
    }

    func testDurations() throws {
        XCTAssertEqual(try Arguments.duration("10", "--d"), 10_000_000_000)
        XCTAssertEqual(try Arguments.duration("0.1s", "--d"), 100_000_000)
        XCTAssertEqual(try Arguments.duration("250ms", "--d"), 250_000_000)
        XCTAssertEqual(try Arguments.duration("2m", "--d"), 120_000_000_000)
        XCTAssertEqual(try Arguments.duration("0", "--d"), 0)
        XCTAssertEqual(try Arguments.duration("1.999999999m", "--d"), 119_999_999_940, "no overflow with 9 decimals of minutes")
        for bad in ["", "s", "-1", "1.s", "1h", "ten", "25m0", "2000m", "1e3"] {
            XCTAssertThrowsError(try Arguments.duration(bad, "--d"), bad)
        }
        assertRejects("--url http://a --duration 0", .invalidValue)
    }
}

final class LoadOptionsSummaryTests: XCTestCase {
    func testSummaryDescribesTheLoadWithoutTheSecret() throws {
        let command = try Arguments.parse(["--url", "http://h", "--rate", "500", "--duration", "1.5", "--warmup", "0",
                                           "--token-from-issuer", "http://i:9000", "--client-id", "bench",
                                           "--client-secret", "hunter2", "--mix", "valid=9,bad-signature=1", "--distinct-tokens", "3"])
        guard case .run(let options) = command else { return XCTFail("expected run") }
        let summary = options.load.summary
        XCTAssertEqual(summary, "open loop at 500 req/s, 64 connections, 1.5 s after 0 s warm-up, "
                       + "tokens from issuer http://i:9000/ as bench, scope \"read:port_calls\" (valid=9 bad-signature=1, 3 distinct)")
        XCTAssertFalse(summary.contains("hunter2"))
        XCTAssertEqual(LoadOptions().summary, "closed loop, 64 connections, 10 s after 2 s warm-up, no tokens")
    }
}
