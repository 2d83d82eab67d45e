// loadtest: HTTP/1.1 load generator for measuring Portcullis's auth overhead.
// Phase 1: parses and validates the command line, scenario and token file, and prints the plan.
// The client engine on the IO event loops lands in phase 2.
import Foundation
import LoadtestCore

/// Writes `message` to stderr and exits with `status` (2: bad input).
func fail(_ message: String, status: Int32 = 2) -> Never {
    FileHandle.standardError.write(Data(("loadtest: " + message + "\n").utf8))
    exit(status)
}

func readFile(_ path: String, what: String) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(what) \(path)") }
    return Array(data)
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

/// Checks that tokens exist for the mix; describes where they will come from.
func describeTokens(_ load: LoadOptions, needed: Bool) -> String {
    if needed && load.tokens == .none {
        fail("the scenario sends bearer tokens: give --tokens FILE or --token-from-issuer URL")
    }
    switch load.tokens {
    case .none:
        return "no tokens"
    case .file(let path):
        do {
            let pool = try TokenPool.decodeFile(json: readFile(path, what: "token file"), mix: load.mix)
            let counts = TokenKind.allCases.map { "\($0.rawValue) \(pool.count(of: $0))" }.joined(separator: ", ")
            return "token file \(path) checked: distinct tokens \(counts)"
        } catch {
            fail("\(path): \(error)")
        }
    case .issuer(let request):
        var plan = "would fetch \(load.mix.distinctTokens) valid token(s) from \(request)"
        if load.mix.share(of: .wrongScope) > 0 {
            plan += ", and \(load.mix.distinctTokens) with scope \"\(request.wrongScope)\" for wrong-scope"
        }
        return plan
    }
}

func printPlan(target: String, url: TargetURL, _ load: LoadOptions) {
    let plan = scenario(for: url, load)
    print("\(target): \(url)")
    for request in plan.requests {
        print("  \(request.method) \(request.path) weight \(request.weight)"
              + (request.bearer ? " + bearer token" : ""))
    }
    print("  " + describeTokens(load, needed: plan.needsTokens))
}

do {
    switch try Arguments.parse(Array(CommandLine.arguments.dropFirst())) {
    case .help:
        print(Arguments.usage)
    case .run(let options):
        print("loadtest run: \(options.load.summary)")
        printPlan(target: "target", url: options.url, options.load)
        print("(not yet implemented: the client engine arrives with the IO event loops)")
    case .overhead(let options):
        print("loadtest overhead: \(options.rounds) interleaved rounds, \(options.load.summary)")
        printPlan(target: "direct", url: options.direct, options.load)
        printPlan(target: "gateway", url: options.gateway, options.load)
        print("(not yet implemented: the client engine arrives with the IO event loops)")
    }
} catch {
    fail("\(error)\n\n\(Arguments.usage)")
}
