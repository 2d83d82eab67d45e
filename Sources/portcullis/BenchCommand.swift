import Config
import Foundation
import Gateway
import IO
import Telemetry

/// `portcullis bench [verify|dpop|cache|heads|record|routes|all] [--seconds S] [--alg RS256|ES256|EdDSA]`: micro-benchmarks
/// of the production code paths, for BENCHMARKS.md. Run a release build on a quiet machine, pinned (`taskset -c 0`).
/// `--alg` limits `verify` and `dpop` to one algorithm, so uprobe counts (`perf stat -p`) divide by the
/// operations of that algorithm alone; each line ends with the number of operations it ran.
enum BenchCommand {
    static func run(_ args: ArraySlice<String>) -> Int32 {
        let what = args.first.flatMap { $0.hasPrefix("--") ? nil : $0 } ?? "all"
        let rest = args.first == what ? args.dropFirst() : args
        let options: CommandLineOptions
        do { options = try CommandLineOptions(rest, valueOptions: ["seconds", "config", "tokens", "alg"]) }
        catch { return fail("\(error)") }
        let seconds = Double(options.values["seconds"] ?? "3") ?? 3
        if what == "tokens" { return tokenChecks(options, seconds: seconds) }
        var algorithms: [SigningAlgorithmName] = [.rs256, .es256, .edDSA]
        if let name = options.values["alg"] {
            guard let alg = SigningAlgorithmName(rawValue: name) else { return fail("unknown --alg \"\(name)\" (RS256, ES256, EdDSA)") }
            algorithms = [alg]
        }
        var results: [VerificationBenchmark.Result] = []
        do {
            if what == "verify" || what == "all" {
                for alg in algorithms {
                    results.append(try VerificationBenchmark.verify(alg, seconds: seconds))
                }
            }
            if what == "dpop" || what == "all" {
                for alg in [SigningAlgorithmName.es256, .rs256, .edDSA] where algorithms.contains(alg) {
                    results.append(try VerificationBenchmark.dpopProof(alg, seconds: seconds))
                }
            }
            if what == "cache" || what == "all" { results.append(try VerificationBenchmark.cacheHit(seconds: seconds)) }
            if what == "heads" || what == "all" { results.append(try VerificationBenchmark.heads(seconds: seconds)) }
            if what == "record" || what == "all" { results.append(try VerificationBenchmark.requestRecord(seconds: seconds)) }
            if what == "routes" || what == "all" {
                for n in [5, 500] { results.append(VerificationBenchmark.routes(n, iterations: 2_000_000)) }
            }
        } catch { return fail("benchmark failed: \(error)") }
        guard !results.isEmpty else { return fail("unknown benchmark \"\(what)\" (verify, dpop, cache, heads, record, routes, all)") }
        for r in results {
            let rate = r.operationsPerSecond >= 1e6 ? String(format1(r.operationsPerSecond / 1e6)) + "M" : String(Int(r.operationsPerSecond.rounded()))
            print("\(r.name): \(rate)/s per CPU second, \(format1(r.nanosecondsPerOperation)) ns/op (wall clock: \(Int(r.wallOperationsPerSecond.rounded()))/s), \(r.operations) operations")
        }
        return 0
    }

    private static func format1(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        return String(r)
    }

    /// `portcullis bench tokens --config FILE --tokens FILE`: the configured gateway's token check
    /// (same pipeline as `serve`) over the tokens of FILE (one per line), e.g. the harness's
    /// `valid-rs256-many.txt`.
    private static func tokenChecks(_ options: CommandLineOptions, seconds: Double) -> Int32 {
        guard let path = options.values["tokens"], let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return fail("bench tokens needs --tokens FILE (one token per line)")
        }
        let tokens = text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        guard !tokens.isEmpty else { return fail("no tokens in \(path)") }
        let config: PortcullisConfig
        do throws(ConfigError) { (config, _) = try ConfigSource.load(options.values["config"]) }
        catch { return fail("\(error)", code: 1) }
        do {
            let pipeline = try GatewayPipeline(config: config, clock: MonotonicClock(), logger: Logger(component: "bench", minimumLevel: .error),
                                               metrics: Metrics(), waitForKeysSeconds: 3)
            let (r, accepted) = VerificationBenchmark.tokenChecks(pipeline.authorizer.authenticator, tokens: tokens, seconds: seconds)
            print("\(r.name): \(Int(r.operationsPerSecond.rounded()))/s per CPU second, \(format1(r.nanosecondsPerOperation)) ns/op (wall clock: \(Int(r.wallOperationsPerSecond.rounded()))/s), \(accepted) accepted")
            pipeline.fetchers.forEach { $0.stop() }
            return 0
        } catch { return fail("\(error)") }
    }
}
