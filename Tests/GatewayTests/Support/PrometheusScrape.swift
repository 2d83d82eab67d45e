import TestProcessSupport
import Foundation
import XCTest

/// A `/metrics` document read by the reference parser, `prometheus_client`'s
/// `text_string_to_metric_families` (PyPI; `pip install prometheus_client`), plus the format rules
/// that parser is lenient about (`# HELP` and `# TYPE` on every family, no duplicate series).
struct PrometheusScrape {
    struct Sample: Decodable { let name: String; let labels: [String: String]; let value: Double }
    struct Family: Decodable { let name: String; let type: String; let help: String; let samples: [Sample] }

    let families: [Family]
    let text: String

    /// Parses `text` with the Python parser; throws `XCTSkip` when Python or the package is missing.
    init(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        self.text = text
        let script = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        out = []
        for f in text_string_to_metric_families(sys.stdin.read()):
            out.append({"name": f.name, "type": f.type, "help": f.documentation,
                        "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples]})
        print(json.dumps(out))
        """
        // posix_spawn (runProcess), not Foundation's Process: see TestProcessSupport.
        guard runProcess("/usr/bin/env", ["python3", "-c", "import prometheus_client"]).status == 0 else {
            throw XCTSkip("python3 with prometheus_client is not installed (pip install prometheus_client)")
        }
        let parsed = runProcess("/usr/bin/env", ["python3", "-c", script], stdin: text)
        XCTAssertEqual(parsed.status, 0, "the Prometheus parser rejected the document: \(parsed.stderr)", file: file, line: line)
        let data = Data(parsed.stdout.utf8)
        families = (try? JSONDecoder().decode([Family].self, from: data)) ?? []
        XCTAssertFalse(families.isEmpty, "no families parsed", file: file, line: line)
    }

    /// The value of the sample `name` whose labels include `labels`, summed over the matches; nil if none.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let matches = families.flatMap(\.samples).filter { s in s.name == name && labels.allSatisfy { s.labels[$0.key] == $0.value } }
        return matches.isEmpty ? nil : matches.reduce(0) { $0 + $1.value }
    }

    /// Checks what the Python parser tolerates: every family has `# HELP` and `# TYPE` before its
    /// samples, and no series appears twice.
    func assertWellFormed(file: StaticString = #filePath, line: UInt = #line) {
        var helped = Set<String>(), typed = Set<String>(), series = Set<String>()
        for raw in text.split(separator: "\n") {
            if raw.hasPrefix("# HELP ") { helped.insert(String(raw.split(separator: " ")[2])); continue }
            if raw.hasPrefix("# TYPE ") { typed.insert(String(raw.split(separator: " ")[2])); continue }
            let key = String(raw[..<(raw.lastIndex(of: " ") ?? raw.endIndex)])
            XCTAssertTrue(series.insert(key).inserted, "duplicate series \(key)", file: file, line: line)
            let name = String(key.prefix { $0 != "{" })
            let family = [name, name.replacingOccurrences(of: "_bucket", with: ""), name.replacingOccurrences(of: "_sum", with: ""),
                          name.replacingOccurrences(of: "_count", with: "")].first { typed.contains($0) }
            XCTAssertNotNil(family, "sample \(name) has no # TYPE before it", file: file, line: line)
            if let family { XCTAssertTrue(helped.contains(family), "family \(family) has no # HELP", file: file, line: line) }
        }
        XCTAssertEqual(helped, typed, "every family has both # HELP and # TYPE", file: file, line: line)
    }
}
