import ArgumentParser
import Foundation
import LedgerDomain
import LedgerStore

/// `ledger checkpoint [--origin NAME]`: the log's tree head in the C2SP `tlog-checkpoint`
/// form (contract section 9): the origin, the tree size, the root in standard base64.
struct Checkpoint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a checkpoint of the log (C2SP tlog-checkpoint): origin, size, root hash.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The checkpoint's origin line (default: ledger).")
    var origin: String = "ledger"

    func validate() throws {
        guard !origin.isEmpty, !origin.contains(where: \.isNewline) else {
            throw ValidationError("--origin must be one non-empty line")
        }
    }

    func run() throws {
        let ledger = try Ledger.openForReading(path: database.resolvedPath)
        let size = try ledger.eventCount()
        let root = try ledger.treeRoot(size: size)
        let output = Output.standardOutput
        try output.write(TreeCheckpoint(origin: origin, size: size, rootHex: root).text)
        try output.flush()
    }
}

/// A checkpoint's three lines; a signed note's signature lines after an empty line are
/// read past (their check needs the signer's key).
struct TreeCheckpoint {
    var origin: String
    var size: Int64
    var root: [UInt8]

    init(origin: String, size: Int64, rootHex: String) {
        self.origin = origin
        self.size = size
        var bytes: [UInt8] = []
        var index = rootHex.startIndex
        while index < rootHex.endIndex {
            let next = rootHex.index(index, offsetBy: 2)
            bytes.append(UInt8(rootHex[index..<next], radix: 16) ?? 0)
            index = next
        }
        root = bytes
    }

    /// `origin\nsize\nbase64(root)\n`.
    var text: String { "\(origin)\n\(size)\n\(Data(root).base64EncodedString())\n" }

    var rootHex: String { root.map { String(format: "%02x", $0) }.joined() }

    /// Reads a checkpoint file; `InputError` (65) naming the line when it is not one.
    init(file: String) throws {
        guard FileManager.default.fileExists(atPath: file) else { throw InputFileError.missing(path: file) }
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8)
        else { throw InputError(file: file, line: 1, field: "checkpoint", reason: "is not UTF-8 text") }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 4, text.hasSuffix("\n") || lines.count > 4 else {
            throw InputError(
                file: file, line: 1, field: "checkpoint",
                reason: "is not a checkpoint: three lines, each ending in a newline")
        }
        guard !lines[0].isEmpty else {
            throw InputError(file: file, line: 1, field: "origin", reason: "is empty")
        }
        guard let size = Int64(lines[1]), size >= 0, String(size) == lines[1] else {
            throw InputError(
                file: file, line: 2, field: "size", reason: "\"\(lines[1])\" is not a tree size in decimal")
        }
        guard let root = Data(base64Encoded: lines[2]), root.count == 32 else {
            throw InputError(file: file, line: 3, field: "root", reason: "is not a SHA-256 hash in standard base64")
        }
        if lines.count > 4 || !lines[3].isEmpty {
            // After the body: an empty line and a signed note's signatures, or nothing.
            guard lines[3].isEmpty else {
                throw InputError(
                    file: file, line: 4, field: "checkpoint",
                    reason: "the body has three lines; a signature follows an empty line")
            }
        }
        origin = lines[0]
        self.size = size
        self.root = Array(root)
    }
}
