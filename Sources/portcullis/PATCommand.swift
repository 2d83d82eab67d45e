import Config
import Gateway
import IO

/// `portcullis pat create --name N --subject S --scope "a b" [--expires-in 90d]`: mints a personal
/// access token, prints it once, and prints the JSON entry (with only its SHA-256) to add to the
/// `personal_access_tokens` file. Portcullis keeps no copy of the token.
enum PATCommand {
    static func run(_ args: ArraySlice<String>) -> Int32 {
        guard args.first == "create" else { return fail("usage: portcullis pat create --name N --subject S --scope \"a b\" [--expires-in 90d]") }
        let options: CommandLineOptions
        do { options = try CommandLineOptions(args.dropFirst(), valueOptions: ["name", "subject", "scope", "expires-in"]) }
        catch { return fail("\(error)") }
        guard let name = options.values["name"], let subject = options.values["subject"] else {
            return fail("pat create needs --name and --subject")
        }
        let scopes = (options.values["scope"] ?? "").split(separator: " ").map(String.init)
        var expiresAt: Int64?
        if let text = options.values["expires-in"] {
            guard let seconds = PersonalAccessTokenMinter.parseDuration(text) else {
                return fail("--expires-in: expected a duration such as 90d, 12h, 30m or 45s, got \"\(text)\"")
            }
            expiresAt = MonotonicClock().unixSeconds() + seconds
        }
        let minted: PersonalAccessTokenMinter.Minted
        do throws(ConfigError) { minted = try PersonalAccessTokenMinter.mint(name: name, subject: subject, scopes: scopes, expiresAt: expiresAt) }
        catch { return fail("\(error)") }
        print("token (shown once; Portcullis stores only its SHA-256):")
        print(minted.token)
        print("")
        print("add this entry to the \"tokens\" array of the personal_access_tokens file, then reload (SIGHUP) or restart:")
        print(minted.entryJSON)
        return 0
    }
}
