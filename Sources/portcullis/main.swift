#if canImport(Glibc)
import Glibc
#endif

let usage = """
usage: portcullis [serve] [--config FILE]      run the gateway (default: config/portcullis.json or the embedded default)
       portcullis check [--config FILE]        validate a configuration; print warnings
       portcullis explain [--config FILE] --method M --path P [--token T]
                                                show the route, requirements and decision for one request
       portcullis token [--config FILE] [--scope "a b"] [--client ID] [--secret S] [--issuer URL]
                                                get an access token from the running development issuer
       portcullis pat create --name N --subject S --scope "a b" [--expires-in 90d]
                                                mint a personal access token; print it once and its table entry
       portcullis dpop keygen --out FILE | thumbprint --key FILE | proof --key FILE --method M --url URL [--token T] [--nonce N]
                                                a DPoP client key and per-request proofs (RFC 9449) for curl
       portcullis dev-issuer [--config FILE]   run only the development authorization server of the config
       portcullis bench [verify|dpop|cache|routes|all] [--seconds S]
                                                micro-benchmarks of verification, the token cache, route decisions
       portcullis help

"""

let args = CommandLine.arguments.dropFirst()
let command = args.first.flatMap { $0.hasPrefix("--") ? nil : $0 } ?? "serve"
let rest = args.first == command ? args.dropFirst() : args
let status: Int32
switch command {
case "serve": status = ServeCommand.run(rest)
case "dev-issuer": status = ServeCommand.run(rest, devIssuerOnly: true)
case "bench": status = BenchCommand.run(rest)
case "check": status = CheckCommand.run(rest)
case "explain": status = ExplainCommand.run(rest)
case "token": status = TokenCommand.run(rest)
case "pat": status = PATCommand.run(rest)
case "dpop": status = DPoPCommand.run(rest)
case "help", "-h": print(usage, terminator: ""); status = 0
default: status = fail("unknown command \"\(command)\"\n\(usage)")
}
exit(status)
