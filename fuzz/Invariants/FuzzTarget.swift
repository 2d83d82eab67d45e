/// Every fuzz target: a name (the corpus folder and `fuzz/run.sh` argument) and the function
/// that runs one input through the code under test and checks its invariants.
struct FuzzTarget: Sendable {
    let name: String
    let run: @Sendable ([UInt8]) -> Void

    /// All targets, in the order `fuzz/run.sh all` runs them.
    static let all: [FuzzTarget] = [
        FuzzTarget(name: "request-parser", run: RequestParserFuzz.run),
        FuzzTarget(name: "response-parser", run: ResponseParserFuzz.run),
        FuzzTarget(name: "chunked-decoder", run: ChunkedDecoderFuzz.run),
        FuzzTarget(name: "field-line", run: FieldLineFuzz.run),
        FuzzTarget(name: "path-route", run: PathRouteFuzz.run),
        FuzzTarget(name: "bearer", run: BearerFuzz.run),
        FuzzTarget(name: "jose-token", run: TokenFuzz.run),
        FuzzTarget(name: "jwks", run: JWKSFuzz.run),
        FuzzTarget(name: "json", run: JSONFuzz.run),
        FuzzTarget(name: "config", run: ConfigFuzz.run),
    ]

    static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}
