import Foundation

/// A signed note (C2SP `signed-note`): the text, its final newline included, an empty
/// line, then one or more lines `— NAME BASE64(4-byte key id ‖ signature)`.
public struct SignedNote: Sendable {
    public struct Signature: Sendable {
        public var name: String
        public var keyID: UInt32
        public var signature: [UInt8]
    }

    /// The signed text: every line up to the empty line, each with its newline.
    public var text: String
    public var signatures: [Signature]

    /// Why a note was refused, with the 1-based line.
    public struct FormatError: Error, Equatable, Sendable {
        public var line: Int
        public var reason: String
    }

    /// Splits `note` into its text and signature lines. A note without an empty line has
    /// no signatures.
    public init(_ note: String) throws(FormatError) {
        guard note.hasSuffix("\n") else { throw FormatError(line: 1, reason: "does not end in a newline") }
        let lines = note.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let blank = lines.firstIndex(of: "") else {
            text = note
            signatures = []
            return
        }
        text = lines[..<blank].map { $0 + "\n" }.joined()
        var signatures: [Signature] = []
        for (offset, line) in lines[(blank + 1)...].enumerated() {
            let number = blank + 2 + offset
            let parts = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, parts[0] == "\u{2014}", NoteKey.isValidName(parts[1]),
                let bytes = Data(base64Encoded: parts[2]).map(Array.init), bytes.count > 4
            else { throw FormatError(line: number, reason: "is not a signature line (— NAME BASE64)") }
            signatures.append(
                Signature(
                    name: parts[1], keyID: bytes.prefix(4).reduce(0) { $0 << 8 | UInt32($1) },
                    signature: Array(bytes.dropFirst(4))))
        }
        guard !signatures.isEmpty else {
            throw FormatError(line: blank + 1, reason: "no signature follows the empty line")
        }
        self.signatures = signatures
    }
}
