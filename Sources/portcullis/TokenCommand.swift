import Config
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `portcullis token [--scope "a b"] [--client ID] [--secret S] [--issuer URL]`: asks the running
/// development issuer for an access token (client_credentials) and prints only the token. The
/// client and its secret default to the first confidential client_credentials client of the
/// configuration's `dev_issuer` (development secrets on loopback, by design).
enum TokenCommand {
    static func run(_ args: ArraySlice<String>) -> Int32 {
        let options: CommandLineOptions
        do { options = try CommandLineOptions(args, valueOptions: ["config", "scope", "client", "secret", "issuer"]) }
        catch { return fail("\(error)") }
        let config: PortcullisConfig
        do throws(ConfigError) { (config, _) = try ConfigSource.load(options.values["config"]) }
        catch { return fail("\(error)", code: 1) }
        let dev = config.devIssuer
        let client = options.values["client"]
            ?? dev?.clients.first { $0.clientSecret != nil && $0.grantTypes.contains("client_credentials") }?.clientID
        guard let clientID = client else { return fail("no client: pass --client and --secret") }
        let secret = options.values["secret"] ?? dev?.clients.first { $0.clientID == clientID }?.clientSecret
        guard let clientSecret = secret else { return fail("no secret for client \"\(clientID)\": pass --secret") }
        guard let issuer = options.values["issuer"] ?? dev?.issuer, let url = URL(string: issuer + "/oauth/token") else {
            return fail("no issuer: pass --issuer URL")
        }
        var form = "grant_type=client_credentials&client_id=\(encode(clientID))&client_secret=\(encode(clientSecret))"
        if let scope = options.values["scope"] { form += "&scope=\(encode(scope))" }
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(form.utf8)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Data?, Int, String?) = (nil, 0, nil)
        URLSession.shared.dataTask(with: request) { data, response, error in
            result = (data, (response as? HTTPURLResponse)?.statusCode ?? 0, error.map { "\($0.localizedDescription)" })
            done.signal()
        }.resume()
        done.wait()
        if let error = result.2 { return fail("cannot reach the development issuer at \(issuer): \(error)") }
        guard let data = result.0, let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return fail("the issuer answered \(result.1) without JSON")
        }
        guard result.1 == 200, let token = json["access_token"] as? String else {
            return fail("the issuer refused: \(json["error"] as? String ?? "?"): \(json["error_description"] as? String ?? "")", code: 1)
        }
        print(token)
        return 0
    }

    private static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}
