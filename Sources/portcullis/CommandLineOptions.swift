/// Minimal `--name value` / `--name=value` option parsing for the subcommands.
struct CommandLineOptions {
    var values: [String: String] = [:]
    var flags: Set<String> = []

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Parses `args` accepting only `valueOptions` (take a value) and `flagOptions` (no value).
    init(_ args: ArraySlice<String>, valueOptions: Set<String>, flagOptions: Set<String> = []) throws {
        var i = args.startIndex
        while i < args.endIndex {
            let arg = args[i]
            guard arg.hasPrefix("--") else { throw Failure(description: "unexpected argument \"\(arg)\"") }
            var name = String(arg.dropFirst(2))
            var inline: String?
            if let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            if flagOptions.contains(name) {
                flags.insert(name)
            } else if valueOptions.contains(name) {
                if let inline { values[name] = inline }
                else {
                    i += 1
                    guard i < args.endIndex else { throw Failure(description: "--\(name) needs a value") }
                    values[name] = args[i]
                }
            } else {
                throw Failure(description: "unknown option --\(name)")
            }
            i += 1
        }
    }
}
