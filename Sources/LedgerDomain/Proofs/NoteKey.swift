import Crypto
import Foundation

/// A key of a signed note (C2SP `signed-note`), in the text forms of Go's
/// `golang.org/x/mod/sumdb/note`: Ed25519 only (algorithm byte `0x01`).
///
/// - a signer key: `PRIVATE+KEY+NAME+HASH+BASE64(0x01 ‖ 32-byte seed)`;
/// - a verifier key: `NAME+HASH+BASE64(0x01 ‖ 32-byte public key)`;
///
/// `HASH` is the key id in eight lowercase hex digits: the first four bytes, big-endian, of
/// `SHA-256(NAME ‖ "\n" ‖ 0x01 ‖ public key)`. A name is non-empty UTF-8 without spaces
/// or `+`.
public enum NoteKey {
    /// The Ed25519 algorithm byte.
    static let ed25519: UInt8 = 0x01

    /// A name a key may carry.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("+")
            && !name.unicodeScalars.contains { $0.properties.isWhitespace || isControl($0) }
    }

    /// Characters a terminal acts on or that show nothing: C0 and C1 controls, DEL, and the
    /// format characters (bidirectional controls among them). C2SP allows none in a key
    /// name, nor does a checkpoint's origin line.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }

    /// Whether `text` holds something that reads as a signer key (`PRIVATE+KEY+…`): never
    /// to be shown back, wherever it was given.
    public static func looksLikeSignerKey(_ text: String) -> Bool {
        text.contains("PRIVATE+KEY+")
    }

    /// The key id of `name` and `publicKey`.
    static func keyID(name: String, publicKey: [UInt8]) -> UInt32 {
        var hasher = SHA256()
        hasher.update(data: Array(name.utf8) + [0x0A, ed25519] + publicKey)
        return Array(hasher.finalize()).prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    static func hex(_ id: UInt32) -> String {
        let digits = String(id, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}

/// Why a key's text was refused; the key's secret part never appears in it.
public enum NoteKeyError: Error, Equatable, Sendable {
    case invalidName(String)
    case malformed(String)
}

/// A signer: a name and an Ed25519 private key.
// `@unchecked Sendable`: every member is an immutable value (swift-crypto's key struct is
// not marked Sendable on this platform, though it holds only its bytes).
public struct NoteSigner: @unchecked Sendable {
    public let name: String
    let privateKey: Curve25519.Signing.PrivateKey

    /// A new key with a fresh random seed.
    public static func generate(name: String) throws(NoteKeyError) -> NoteSigner {
        guard NoteKey.isValidName(name) else { throw .invalidName(name) }
        return NoteSigner(name: name, privateKey: Curve25519.Signing.PrivateKey())
    }

    private init(name: String, privateKey: Curve25519.Signing.PrivateKey) {
        self.name = name
        self.privateKey = privateKey
    }

    /// Reads `PRIVATE+KEY+NAME+HASH+BASE64`.
    public init(text: String) throws(NoteKeyError) {
        // One line; its line end (LF or CRLF) is not part of the key.
        let trimmed = text.trimmingCharacters(in: .newlines)
        let parts = trimmed.split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY" else {
            throw .malformed("is not a signer key (PRIVATE+KEY+NAME+HASH+KEY)")
        }
        guard NoteKey.isValidName(parts[2]) else { throw .invalidName(parts[2]) }
        guard let bytes = Data(base64Encoded: parts[4]).map(Array.init), bytes.count == 33,
            bytes[0] == NoteKey.ed25519,
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes[1...])
        else { throw .malformed("does not hold an Ed25519 key") }
        let id = NoteKey.keyID(name: parts[2], publicKey: Array(key.publicKey.rawRepresentation))
        guard parts[3].count == 8, UInt32(parts[3], radix: 16) == id else {
            throw .malformed("its key id does not match its name and key")
        }
        self.init(name: parts[2], privateKey: key)
    }

    /// `PRIVATE+KEY+NAME+HASH+BASE64`: the secret. Written to a file only its owner reads.
    public var text: String {
        "PRIVATE+KEY+\(name)+\(NoteKey.hex(verifier.keyID))+"
            + Data([NoteKey.ed25519] + Array(privateKey.rawRepresentation)).base64EncodedString()
    }

    /// The matching verifier.
    public var verifier: NoteVerifier {
        NoteVerifier(name: name, publicKey: privateKey.publicKey)
    }

    /// The signature line for `text` (the note's text, its final newline included):
    /// `— NAME BASE64(key id ‖ signature)` and a newline.
    public func signatureLine(for text: String) throws -> String {
        let signature = try privateKey.signature(for: Array(text.utf8))
        let id = verifier.keyID
        let idBytes: [UInt8] = [UInt8(id >> 24), UInt8(id >> 16 & 0xFF), UInt8(id >> 8 & 0xFF), UInt8(id & 0xFF)]
        return "\u{2014} \(name) " + Data(idBytes + Array(signature)).base64EncodedString() + "\n"
    }
}

/// A verifier: a name and an Ed25519 public key.
public struct NoteVerifier {
    public let name: String
    let publicKey: Curve25519.Signing.PublicKey

    init(name: String, publicKey: Curve25519.Signing.PublicKey) {
        self.name = name
        self.publicKey = publicKey
    }

    /// Reads `NAME+HASH+BASE64`.
    public init(text: String) throws(NoteKeyError) {
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else { throw .malformed("is not a verifier key (NAME+HASH+KEY)") }
        guard NoteKey.isValidName(parts[0]) else { throw .invalidName(parts[0]) }
        guard let bytes = Data(base64Encoded: parts[2]).map(Array.init), bytes.count == 33,
            bytes[0] == NoteKey.ed25519,
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes[1...])
        else { throw .malformed("does not hold an Ed25519 public key") }
        guard parts[1].count == 8,
            UInt32(parts[1], radix: 16) == NoteKey.keyID(name: parts[0], publicKey: Array(bytes[1...]))
        else { throw .malformed("its key id does not match its name and key") }
        self.init(name: parts[0], publicKey: key)
    }

    /// The key id.
    public var keyID: UInt32 { NoteKey.keyID(name: name, publicKey: Array(publicKey.rawRepresentation)) }

    /// `NAME+HASH+BASE64`.
    public var text: String {
        "\(name)+\(NoteKey.hex(keyID))+"
            + Data([NoteKey.ed25519] + Array(publicKey.rawRepresentation)).base64EncodedString()
    }

    /// Whether `note`'s signature lines hold a valid signature by this key of its text.
    public func verifies(_ note: SignedNote) -> Bool {
        note.signatures.contains { signature in
            signature.name == name && signature.keyID == keyID
                && publicKey.isValidSignature(signature.signature, for: Array(note.text.utf8))
        }
    }
}
