import Foundation
import LedgerImport
import LedgerTestSupport
import Testing

/// The project's labelled evaluation set (`Golden/screening/`): 40 designations of the OFAC
/// and UN lists and 290 queries, true variants of their names of every kind that evasion
/// uses and unrelated real-looking names. Recall per kind and false positives at the default
/// threshold must not regress below the targets of the screening issue.
@Suite struct ScreeningEvaluationTests {
    static let folder = ReportTests.golden.appendingPathComponent("screening")

    /// Recall by kind, and the share of unrelated names that matched anything, from one
    /// `screen --file` run of the built binary.
    static func evaluate(_ sandbox: LedgerSandbox) throws -> (recall: [String: (Int, Int)], falsePositives: (Int, Int))
    {
        let appended = try sandbox.run(["append", folder.appendingPathComponent("designations.ndjson").path])
        #expect(appended.status == 0, "\(appended.stderr)")
        let evaluation = folder.appendingPathComponent("evaluation.csv").path
        let result = try sandbox.run([
            "screen", "--file", evaluation, "--column", "query", "--as-of", "2024-01-01", "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let matches = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        var matchedByLine: [Int: Set<String>] = [:]
        for match in matches {
            let line = try #require((match["line"] as? NSNumber)?.intValue)
            matchedByLine[line, default: []].insert(try #require(match["designation"] as? String))
        }
        var recall: [String: (Int, Int)] = [:]
        var falsePositives = (0, 0)
        try CSVRecords(SnapshotInput(path: evaluation, digest: false), strictUTF8: true).forEach { fields, line in
            guard line > 1 else { return }  // the header
            let (kind, expected) = (fields[0], fields[2])
            let matched = matchedByLine[line] ?? []
            if expected.isEmpty {
                falsePositives = (falsePositives.0 + (matched.isEmpty ? 0 : 1), falsePositives.1 + 1)
            } else {
                let (hits, total) = recall[kind] ?? (0, 0)
                recall[kind] = (hits + (matched.contains(expected) ? 1 : 0), total + 1)
            }
        }
        return (recall, falsePositives)
    }

    @Test func recallAndFalsePositivesHoldTheirTargets() throws {
        let sandbox = try LedgerSandbox(backend: .file)
        let (recall, falsePositives) = try Self.evaluate(sandbox)
        let strict = [
            "homoglyph", "invisible", "fullwidth", "cyrillic", "spacing", "word-order", "typo", "abbreviation",
        ]
        for kind in strict + [
            "hangul", "romanisation", "dropped-word", "initials", "legal-form", "given-name", "korean-org",
            "cyrillic-korean", "added-words",
        ] {
            let (hits, total) = try #require(recall[kind], "no rows of kind \(kind)")
            #expect(total >= 10, "\(kind): \(total) rows")
            let target = strict.contains(kind) ? 0.95 : 0.8
            #expect(Double(hits) / Double(total) >= target, "\(kind): recall \(hits)/\(total)")
        }
        #expect(falsePositives.1 >= 60)
        #expect(Double(falsePositives.0) / Double(falsePositives.1) <= 0.01, "false positives \(falsePositives)")
        #expect(recall.values.reduce(0) { $0 + $1.1 } + falsePositives.1 >= 150)
    }
}
