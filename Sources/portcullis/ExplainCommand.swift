import Config
import Gateway
import IO
import Telemetry

/// `portcullis explain [--config FILE] --method GET --path /v1/invoices/42 [--token T]`: the matched
/// route, its requirement, the token's verdict and scopes, and the decision, computed by the same
/// pipeline the server runs (keys are fetched from the configured issuers).
enum ExplainCommand {
    static func run(_ args: ArraySlice<String>) -> Int32 {
        let options: CommandLineOptions
        do { options = try CommandLineOptions(args, valueOptions: ["config", "method", "path", "token"]) }
        catch { return fail("\(error)") }
        guard let path = options.values["path"] else { return fail("explain needs --path") }
        let method = options.values["method"] ?? "GET"
        let config: PortcullisConfig
        do throws(ConfigError) { (config, _) = try ConfigSource.load(options.values["config"]) }
        catch { return fail("\(error)", code: 1) }
        let pipeline: GatewayPipeline
        do {
            pipeline = try GatewayPipeline(config: config, clock: MonotonicClock(), logger: Logger(component: "explain", minimumLevel: .error),
                                           metrics: Metrics(), waitForKeysSeconds: options.values["token"] == nil ? 0 : 3)
        } catch { return fail("\(error)") }
        let e = pipeline.authorizer.explain(method: method, target: path, authorization: options.values["token"].map { "Bearer " + $0 })
        print("request:     \(method) \(path)")
        print("path:        \(e.normalizedPath ?? "(rejected)")")
        print("route:       \(e.route ?? "(none)")")
        if let r = e.requirement { print("requires:    \(r)") }
        if options.values["token"] != nil {
            print("token:       \(e.tokenVerdict ?? "(not checked)")")
            if let s = e.tokenScopes { print("scopes:      \(s.isEmpty ? "(none)" : s.joined(separator: " "))") }
            if let b = e.tokenBinding { print("bound to:    \(b)") }
        }
        print("decision:    \(e.decision) (\(e.status == 200 ? "" : String(e.status) + " ")\(e.reason))")
        if let t = e.upstreamTarget { print("upstream:    \(t)") }
        pipeline.fetchers.forEach { $0.stop() }
        return 0
    }
}
