import ArgumentParser
import Foundation
import LedgerDomain
import LedgerStore

/// `ledger checkpoint [--origin NAME] [--key FILE]`: the log's tree head in the C2SP
/// `tlog-checkpoint` form (contract section 9): the origin, the tree size, the root in
/// standard base64; with a signer key, a C2SP signed note's signature line follows.
struct Checkpoint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Print a checkpoint of the log (C2SP tlog-checkpoint): origin, size, root hash; signed with --key.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The checkpoint's origin line (default: the key's name with --key, else ledger).")
    var origin: String?

    @Option(help: "A signer key file (ledger key generate) to sign the checkpoint with.")
    var key: String?

    func validate() throws {
        if let origin {
            if NoteKey.looksLikeSignerKey(origin) {
                throw ValidationError("--origin: a signer key was given where a checkpoint's origin is expected")
            }
            if origin.isEmpty || origin.contains(where: \.isNewline)
                || origin.unicodeScalars.contains(where: NoteKey.isControl)
            {
                throw ValidationError("--origin must be one non-empty line without control characters")
            }
        }
        if let key, NoteKey.looksLikeSignerKey(key) {
            throw ValidationError("--key: a signer key was given where the path of its file is expected")
        }
    }

    func run() throws {
        let signer = try key.map(SignerKeyFile.read)
        let ledger = try Ledger.openForReading(path: database.resolvedPath)
        let size = try ledger.log.eventCount()
        let root = try ledger.proofs.treeRoot(size: size)
        // A signature vouches for the root: it is computed again from the events' hashes, so
        // that a rewritten node of the stored tree is never signed.
        if signer != nil, try ledger.proofs.recomputedTreeRoot(size: size) != root {
            throw CheckpointFailure(
                reason:
                    "the stored Merkle tree's root of size \(size) is not the root of the events' hashes: nothing signed; run ledger verify"
            )
        }
        let body = TreeCheckpoint(origin: origin ?? signer?.name ?? "ledger", size: size, rootHex: root).text
        let output = Output.standardOutput
        try output.write(body)
        if let signer { try output.write("\n" + signer.signatureLine(for: body)) }
        try output.flush()
    }
}

/// `checkpoint --key` found a stored tree that the log does not give: exit 1, nothing signed.
struct CheckpointFailure: Error {
    var reason: String
}

/// A checkpoint's three lines, and the signatures of the signed note that carried it.
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

    /// The signed note the file held (its signatures, if any).
    var note: SignedNote?

    /// Reads a checkpoint file; `InputError` (65) naming the line when it is not one.
    init(file: String) throws {
        guard FileManager.default.fileExists(atPath: file) else { throw InputFileError.missing(path: file) }
        guard let data = FileManager.default.contents(atPath: file), var text = String(data: data, encoding: .utf8)
        else { throw InputError(file: file, line: 1, field: "checkpoint", reason: "is not UTF-8 text") }
        // A checkpoint saved by a Windows tool ends its lines in CRLF; the note signed is LF.
        text = text.replacingOccurrences(of: "\r\n", with: "\n")
        let note: SignedNote
        do {
            note = try SignedNote(text)
        } catch {
            throw InputError(file: file, line: error.line, field: "checkpoint", reason: error.reason)
        }
        let lines = note.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        guard lines.count == 3 else {
            throw InputError(
                file: file, line: min(lines.count + 1, 4), field: "checkpoint",
                reason: "is not a checkpoint: three lines (origin, size, root), each ending in a newline")
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
        origin = lines[0]
        self.size = size
        self.root = Array(root)
        self.note = note
    }
}
