import Foundation
import Testing

@testable import LedgerDomain

/// The validator and the JSON Schemas in `Schemas/` agree: every seed and valid fixture passes
/// both; every fixture in `invalid-schema/` fails both; every fixture in `invalid-rules/`
/// (what a schema cannot say) fails the validator.
@Suite struct SchemaAgreementTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func fixtures(_ folder: String) throws -> [URL] {
        let directory = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
            .appendingPathComponent(folder)
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "ndjson" }.sorted { $0.path < $1.path }
    }

    static func seeds() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(
            at: packageRoot.appendingPathComponent("seeds"), includingPropertiesForKeys: nil
        ).filter { $0.pathExtension == "ndjson" }.sorted { $0.path < $1.path }
    }

    /// Non-blank lines of a file, with their 1-based numbers.
    static func lines(of file: URL) throws -> [(Int, [UInt8])] {
        let text = try String(contentsOf: file, encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
            line.allSatisfy(\.isWhitespace) ? nil : (index + 1, Array(line.utf8))
        }
    }

    /// The independent validator's verdicts, keyed by "path:line".
    static func schemaVerdicts(_ files: [URL]) throws -> [String: Bool] {
        let script = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
            .appendingPathComponent("schema_check.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["python3", script.path, packageRoot.appendingPathComponent("Schemas").path] + files.map(\.path)
        let pipe = Pipe()
        let errors = Pipe()
        process.standardOutput = pipe
        process.standardError = errors
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(
            process.terminationStatus == 0, "schema_check.py failed (is python3-jsonschema installed?): \(errorText)")
        var verdicts: [String: Bool] = [:]
        for line in String(decoding: output, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 3 else { continue }
            verdicts["\(fields[0]):\(fields[1])"] = fields[2] == "valid"
        }
        return verdicts
    }

    @Test func validatorAndSchemasAgree() throws {
        let valid = try Self.fixtures("valid") + Self.seeds()
        let invalidBoth = try Self.fixtures("invalid-schema")
        let invalidRules = try Self.fixtures("invalid-rules")
        let verdicts = try Self.schemaVerdicts(valid + invalidBoth + invalidRules)
        let decoder = EventDecoder()
        var checked = 0
        for (files, schemaValid, validatorValid) in [
            (valid, true, true), (invalidBoth, false, false), (invalidRules, true, false),
        ] {
            for file in files {
                for (number, line) in try Self.lines(of: file) {
                    let place = "\(file.lastPathComponent):\(number)"
                    let accepted: Bool
                    do {
                        _ = try decoder.decode(line)
                        accepted = true
                    } catch {
                        accepted = false
                    }
                    #expect(accepted == validatorValid, "validator on \(place)")
                    #expect(verdicts["\(file.path):\(number)"] == schemaValid, "schema on \(place)")
                    checked += 1
                }
            }
        }
        #expect(checked > 60)
    }
}
