import Foundation
import LedgerAnswers
import LedgerDomain

/// `FILE.manifest.json` (contract section 10): what pins a report file to the ledger that
/// produced it — the report, its options, its bytes' SHA-256, the head and the tree.
struct ReportManifest {
    var report: ReportName
    var format: ReportFormat
    var asOf: Day
    var atSeq: Int64
    var output: String
    var rows: Int
    var sha256: String
    var headHash: String
    var treeRoot: String
    var createdAt: String

    /// The manifest as JSON, its members in the contract's order, one per line.
    var json: String {
        func value(_ value: JSONValue) -> String { CanonicalJSON.string(of: value) }
        let members: [(String, JSONValue)] = [
            ("report", .string(report.rawValue)), ("format", .string(format.rawValue)),
            ("as_of", .string(asOf.description)), ("at_seq", .number(String(atSeq))), ("output", .string(output)),
            ("rows", .number(String(rows))), ("sha256", .string(sha256)),
            ("head", .object(JSONObject(["seq": .number(String(atSeq)), "hash": .string(headHash)]))),
            ("tree", .object(JSONObject(["size": .number(String(atSeq)), "root": .string(treeRoot)]))),
            ("created_at", .string(createdAt)),
        ]
        return "{\n" + members.map { "  \(value(.string($0.0))): \(value($0.1))" }.joined(separator: ",\n") + "\n}\n"
    }

    /// Reads a manifest; `InputError` (65) naming the field when it is not one.
    init(file: String) throws {
        guard FileManager.default.fileExists(atPath: file) else { throw InputFileError.missing(path: file) }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw InputFileError.unreadable(path: file, reason: "cannot read the file")
        }
        let root: JSONValue
        do {
            root = try StrictJSONReader().read(Array(data))
        } catch {
            let line = data.prefix(error.offset).reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            throw InputError(file: file, line: line, field: "manifest", reason: "is not JSON: \(error.reason)")
        }
        guard let object = root.objectValue else {
            throw InputError(file: file, line: 1, field: "manifest", reason: "is not a JSON object")
        }
        func bad(_ field: String, _ reason: String) -> InputError {
            InputError(file: file, line: 1, field: field, reason: reason)
        }
        func string(_ key: String, in object: JSONObject, _ path: String? = nil) throws -> String {
            guard case .string(let text)? = object[key] else { throw bad(path ?? key, "must be a string") }
            return text
        }
        func integer(_ key: String, in object: JSONObject, _ path: String? = nil) throws -> Int64 {
            guard case .number(let text)? = object[key], let value = Int64(text), value >= 0 else {
                throw bad(path ?? key, "must be a whole number, 0 or more")
            }
            return value
        }
        func hash(_ key: String, in object: JSONObject, _ path: String? = nil) throws -> String {
            let text = try string(key, in: object, path)
            guard HashChain.isHash(text) else { throw bad(path ?? key, "must be 64 lowercase hex digits") }
            return text
        }
        let name = try string("report", in: object)
        guard let report = ReportName(rawValue: name) else {
            throw bad(
                "report", "\"\(name)\" is not a report (\(ReportName.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        let formatName = try string("format", in: object)
        guard let format = ReportFormat(rawValue: formatName) else {
            throw bad("format", "\"\(formatName)\" is not a format (table, csv, json)")
        }
        guard let asOf = Day(try string("as_of", in: object)) else { throw bad("as_of", "must be a day YYYY-MM-DD") }
        let atSeq = try integer("at_seq", in: object)
        guard case .object(let head)? = object["head"] else { throw bad("head", "must be an object {seq, hash}") }
        guard case .object(let tree)? = object["tree"] else { throw bad("tree", "must be an object {size, root}") }
        guard try integer("seq", in: head, "head.seq") == atSeq else { throw bad("head.seq", "must equal at_seq") }
        guard try integer("size", in: tree, "tree.size") == atSeq else { throw bad("tree.size", "must equal at_seq") }
        self.report = report
        self.format = format
        self.asOf = asOf
        self.atSeq = atSeq
        output = try string("output", in: object)
        rows = Int(try integer("rows", in: object))
        sha256 = try hash("sha256", in: object)
        headHash = try hash("hash", in: head, "head.hash")
        treeRoot = try hash("root", in: tree, "tree.root")
        createdAt = try string("created_at", in: object)
    }

    init(
        report: ReportName, format: ReportFormat, asOf: Day, atSeq: Int64, output: String, rows: Int, sha256: String,
        headHash: String, treeRoot: String, createdAt: String
    ) {
        self.report = report
        self.format = format
        self.asOf = asOf
        self.atSeq = atSeq
        self.output = output
        self.rows = rows
        self.sha256 = sha256
        self.headHash = headHash
        self.treeRoot = treeRoot
        self.createdAt = createdAt
    }
}
