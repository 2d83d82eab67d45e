// loadtest: HTTP/1.1 load generator for measuring Portcullis's auth overhead.
// Keep-alive connections pinned to IO event loops, closed or open loop, warm-up then a measured
// window, a table on stdout and optional JSON / SVG files. See loadtest/README.md.
import Foundation
import IO
import LoadtestCore
import PortcullisCrypto
import PortcullisTLS

/// Writes `message` to stderr and exits with `status` (2: bad input, 1: run failure).
func fail(_ message: String, status: Int32 = 2) -> Never {
    StandardError.write("loadtest: " + message + "\n")
    exit(status)
}

func readFile(_ path: String, what: String) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(what) \(path)") }
    return Array(data)
}

func writeFile(_ path: String, _ bytes: [UInt8]) {
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { fail("cannot write \(path)", status: 1) }
}

/// The scenario for a target, with request targets as sent: the file's paths under the URL's path, or a
/// single GET of the URL's path (bearer when tokens are given).
func scenario(for url: TargetURL, _ load: LoadOptions) -> Scenario {
    guard let path = load.scenarioPath else {
        return Scenario.single(path: url.path, bearer: load.tokens != .none)
    }
    if url.path.contains("?") { fail("\(url): with --scenario, the URL may carry a path prefix but no query") }
    do {
        return try Scenario.decode(json: readFile(path, what: "scenario")).resolved(against: url)
    } catch {
        fail("\(path): \(error)")
    }
}

/// `--dpop`: the key every token is bound to and every request's proof is signed with (P-256, ES256).
func makeDPoPSigner(_ load: LoadOptions) -> DPoPProofSigner? {
    guard load.dpop else { return nil }
    do { return DPoPProofSigner(key: try SigningKey.generate(.p256)) } catch { fail("--dpop: cannot generate a key: \(error)") }
}

/// Signs the proof of each request: `htm` and `htu` (scheme, `Host`, path without query) of the
/// template, `ath` of the token, a fresh `jti` and the current `iat`.
func proofSigner(for scenario: Scenario, url: TargetURL, dpop: DPoPProofSigner?) -> (@Sendable (Int, [UInt8]) -> [UInt8])? {
    guard let signer = dpop else { return nil }
    let targets = scenario.requests.map { request -> (method: String, htu: String) in
        let path = request.path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? request.path
        return (request.method, (url.isHTTPS ? "https://" : "http://") + url.hostHeader + path)
    }
    return { index, token in
        let target = targets[index]
        let proof = try? signer.proof(method: target.method, url: target.htu, accessToken: String(decoding: token, as: UTF8.self),
                                      now: Int64(Date().timeIntervalSince1970))
        return Array((proof ?? "").utf8)
    }
}

/// The token pool for the mix, from the token file or the issuer (fetched once, before any run).
func tokenPool(_ load: LoadOptions, dpop dpopSigner: DPoPProofSigner?) -> TokenPool? {
    do {
        switch load.tokens {
        case .none:
            return nil
        case .file(let path):
            return try TokenPool.decodeFile(json: readFile(path, what: "token file"), mix: load.mix)
        case .issuer(let request):
            let n = load.mix.distinctTokens
            let valid = try IssuerTokens.fetch(request, scope: request.scope, count: n, dpop: dpopSigner)
            let wrong = load.mix.share(of: .wrongScope) > 0
                ? try IssuerTokens.fetch(request, scope: request.wrongScope, count: n, dpop: dpopSigner) : []
            let expired = load.mix.share(of: .expired) > 0 ? try IssuerTokens.fetchExpired(request, scope: request.scope, count: n) : []
            return try TokenPool(valid: valid, expired: expired, wrongScope: wrong, mix: load.mix)
        }
    } catch {
        fail("tokens: \(error)")
    }
}

func plan(for url: TargetURL, _ load: LoadOptions, pool: TokenPool?, dpop: DPoPProofSigner?) -> RunPlan {
    let scenario = scenario(for: url, load)
    if scenario.needsTokens && pool == nil {
        fail("the scenario sends bearer tokens: give --tokens FILE or --token-from-issuer URL")
    }
    guard let address = SocketAddress(host: url.host, port: url.port) else { fail("cannot resolve \(url.host)") }
    var plan = RunPlan(address: address,
                       catalog: RequestCatalog(scenario: scenario, hostHeader: url.hostHeader, mix: load.mix, pool: pool,
                                               proofSigner: proofSigner(for: scenario, url: url, dpop: dpop)),
                       load: load)
    if url.isHTTPS {
        do throws(TLSSetupError) {
            plan.tls = try TLSClientContext(settings: TLSClientSettings(caFile: load.tlsCAFile, verify: !load.tlsInsecure),
                                            resumesSessions: false)
        } catch { fail("TLS: \(error.description)") }
        plan.serverName = url.host
    }
    return plan
}

func makeGroup(_ load: LoadOptions) -> EventLoopGroup {
    // Requests go out when written (no batching): latency is timed from the write.
    EventLoopGroup(count: load.threads > 0 ? load.threads : CPUSet.allowedCount, batchesWrites: false)
}

func runOnce(_ options: RunOptions) {
    let load = options.load
    let dpop = makeDPoPSigner(load)
    let runPlan = plan(for: options.url, load, pool: tokenPool(load, dpop: dpop), dpop: dpop)
    let group = makeGroup(load)
    StandardError.write("loadtest: \(options.url), \(load.summary), \(group.loops.count) loop(s)\n")
    let result = LoadRunner(group: group, label: "").run(runPlan)
    let report = RunReport(title: "\(options.url): \(load.summary)", result: result)
    print(report.text, terminator: "")
    do {
        if let path = load.jsonPath { writeFile(path, try report.json()) }
    } catch {
        fail("cannot encode the report: \(error)", status: 1)
    }
    if let path = load.svgPath { writeFile(path, Array(report.chart(seriesName: options.url.description).svg().utf8)) }
    group.shutdown()
}

func runOverhead(_ options: OverheadOptions) {
    let load = options.load
    let dpop = makeDPoPSigner(load)
    let pool = tokenPool(load, dpop: dpop)
    let plans: [OverheadSchedule.Target: RunPlan] = [
        .direct: plan(for: options.direct, load, pool: pool, dpop: dpop),
        .gateway: plan(for: options.gateway, load, pool: pool, dpop: dpop),
    ]
    let group = makeGroup(load)
    StandardError.write("loadtest overhead: \(options.direct) vs \(options.gateway), \(options.rounds) rounds, \(load.summary)\n")
    var results: [Int: [OverheadSchedule.Target: RunResult]] = [:]
    for run in OverheadSchedule.runs(rounds: options.rounds) {
        let label = "round \(run.round + 1) \(run.target.rawValue): "
        results[run.round, default: [:]][run.target] = LoadRunner(group: group, label: label).run(plans[run.target]!)
    }
    let pairs = (0..<options.rounds).map { (direct: results[$0]![.direct]!, gateway: results[$0]![.gateway]!) }
    let report = OverheadReport(title: "Portcullis overhead: \(options.gateway) vs \(options.direct), \(load.summary)", rounds: pairs)
    print(report.text, terminator: "")
    do {
        if let path = load.jsonPath { writeFile(path, try report.json()) }
    } catch {
        fail("cannot encode the report: \(error)", status: 1)
    }
    if let path = load.svgPath { writeFile(path, Array(report.chart().svg().utf8)) }
    group.shutdown()
}

signal(SIGPIPE, SIG_IGN)
do {
    switch try Arguments.parse(Array(CommandLine.arguments.dropFirst())) {
    case .help:
        print(Arguments.usage)
    case .run(let options):
        runOnce(options)
    case .overhead(let options):
        runOverhead(options)
    }
} catch {
    fail("\(error)\n\n\(Arguments.usage)")
}
