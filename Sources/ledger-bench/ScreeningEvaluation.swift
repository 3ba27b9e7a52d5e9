import ArgumentParser
import Foundation
import LedgerImport

/// `ledger-bench screening`: the project's labelled evaluation set screened with the built
/// binary at the default threshold; prints recall per kind of variant and the false-positive
/// rate on unrelated names (the same figures `ScreeningEvaluationTests` holds to targets).
struct ScreeningEvaluation: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screening", abstract: "Recall per kind and false positives on the evaluation set.")

    @Option(help: "The ledger binary to measure.") var ledger = ".build/release/ledger"
    @Option(help: "The evaluation set's folder.") var set = "Tests/LedgerCLITests/Golden/screening"
    @Option(help: "A scratch directory (emptied first).") var work = ".build-bench-screening"

    func run() throws {
        _ = system("rm -rf '\(work)' && mkdir -p '\(work)'")
        let db = "\(work)/evaluation.sqlite"
        guard try measure([ledger, "append", "--db", db, "--quiet", "\(set)/designations.ndjson"]).status == 0 else {
            throw BenchError.failed("the evaluation designations did not append")
        }
        let output = "\(work)/matches.json"
        let run = try measure(
            [
                ledger, "screen", "--db", db, "--file", "\(set)/evaluation.csv", "--column", "query", "--as-of",
                "2024-01-01", "--format", "json", "--quiet",
            ], stdoutPath: output)
        guard run.status == 0 else { throw BenchError.failed("screen --file failed (\(run.status))") }
        let matches =
            (try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [[String: Any]])
            ?? []
        var matched: [Int: Set<String>] = [:]
        for match in matches {
            if let line = (match["line"] as? NSNumber)?.intValue, let designation = match["designation"] as? String {
                matched[line, default: []].insert(designation)
            }
        }
        var recall: [String: (Int, Int)] = [:]
        var unrelated = (0, 0)
        var queries = 0
        try CSVRecords(SnapshotInput(path: "\(set)/evaluation.csv", digest: false), strictUTF8: true).forEach {
            fields, line in
            guard line > 1 else { return }  // the header
            queries += 1
            let found = matched[line] ?? []
            if fields[2].isEmpty {
                unrelated = (unrelated.0 + (found.isEmpty ? 0 : 1), unrelated.1 + 1)
            } else {
                let (hits, total) = recall[fields[0]] ?? (0, 0)
                recall[fields[0]] = (hits + (found.contains(fields[2]) ? 1 : 0), total + 1)
            }
        }
        print("screening evaluation (\(queries) queries, threshold 0.85, \(format(run.seconds)) s)")
        print("| kind | recall |")
        print("|---|---|")
        for kind in recall.keys.sorted() {
            let (hits, total) = recall[kind]!
            print("| \(kind) | \(hits)/\(total) = \(format(Double(hits) / Double(total))) |")
        }
        print(
            "| unrelated names flagged (false positives) | \(unrelated.0)/\(unrelated.1) = \(format(Double(unrelated.0) / Double(unrelated.1))) |"
        )
    }
}
