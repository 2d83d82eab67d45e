import Config

/// `portcullis check [--config FILE]`: exit 0 when the configuration is valid (warnings are printed),
/// otherwise the path-named error and exit 1.
enum CheckCommand {
    static func run(_ args: ArraySlice<String>) -> Int32 {
        let options: CommandLineOptions
        do { options = try CommandLineOptions(args, valueOptions: ["config"]) }
        catch { return fail("\(error)") }
        let config: PortcullisConfig
        let source: String
        do throws(ConfigError) { (config, source) = try ConfigSource.load(options.values["config"]) }
        catch { return fail("\(error)", code: 1) }
        let warnings = ConfigLoader.warnings(for: config)
        for w in warnings { print("warning: \(w)") }
        print("\(source): OK (\(config.routes.count) routes, \(config.upstreams.count) upstreams, \(config.issuers.count) issuers, \(warnings.count) warnings)")
        return 0
    }
}
