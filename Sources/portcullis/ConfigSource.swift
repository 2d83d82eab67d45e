import Config
import FoundationEssentials

/// Where the configuration comes from: `--config FILE`, else `config/portcullis.json` in the current
/// directory, else the embedded default (the same content).
enum ConfigSource {
    static let defaultPath = "config/portcullis.json"

    /// The file `load` reads for `path` (what SIGHUP re-reads); nil for the embedded default.
    static func filePath(_ path: String?) -> String? {
        if let path { return path }
        return FileManager.default.fileExists(atPath: defaultPath) ? defaultPath : nil
    }

    static func load(_ path: String?) throws(ConfigError) -> (PortcullisConfig, String) {
        if let path { return (try ConfigLoader.load(path: path), path) }
        if FileManager.default.fileExists(atPath: defaultPath) {
            return (try ConfigLoader.load(path: defaultPath), defaultPath)
        }
        let config = try ConfigLoader.parse(bytes: Array(EmbeddedDefaultConfig.json.utf8),
                                            baseDirectory: FileManager.default.currentDirectoryPath)
        return (config, "(embedded default)")
    }
}
