import Gateway

/// `portcullis bench [verify|cache|routes|all] [--seconds S]`: micro-benchmarks of the production
/// code paths, for BENCHMARKS.md. Run a release build on a quiet machine, pinned (`taskset -c 0`).
enum BenchCommand {
    static func run(_ args: ArraySlice<String>) -> Int32 {
        let what = args.first.flatMap { $0.hasPrefix("--") ? nil : $0 } ?? "all"
        let rest = args.first == what ? args.dropFirst() : args
        let options: CommandLineOptions
        do { options = try CommandLineOptions(rest, valueOptions: ["seconds"]) }
        catch { return fail("\(error)") }
        let seconds = Double(options.values["seconds"] ?? "3") ?? 3
        var results: [VerificationBenchmark.Result] = []
        do {
            if what == "verify" || what == "all" {
                for alg in [SigningAlgorithmName.rs256, .es256, .edDSA] {
                    results.append(try VerificationBenchmark.verify(alg, seconds: seconds))
                }
            }
            if what == "cache" || what == "all" { results.append(try VerificationBenchmark.cacheHit(seconds: seconds)) }
            if what == "routes" || what == "all" {
                for n in [5, 500] { results.append(VerificationBenchmark.routes(n, iterations: 2_000_000)) }
            }
        } catch { return fail("benchmark failed: \(error)") }
        guard !results.isEmpty else { return fail("unknown benchmark \"\(what)\" (verify, cache, routes, all)") }
        for r in results {
            let rate = r.operationsPerSecond >= 1e6 ? String(format1(r.operationsPerSecond / 1e6)) + "M" : String(Int(r.operationsPerSecond.rounded()))
            print("\(r.name): \(rate)/s per CPU second, \(format1(r.nanosecondsPerOperation)) ns/op (wall clock: \(Int(r.wallOperationsPerSecond.rounded()))/s)")
        }
        return 0
    }

    private static func format1(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        return String(r)
    }
}
