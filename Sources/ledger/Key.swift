import ArgumentParser
import Foundation
import LedgerAnswers
import LedgerDomain

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `ledger key generate NAME --out FILE`: a new checkpoint signer key (contract section 9).
struct Key: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Manage the Ed25519 keys that sign checkpoints.", subcommands: [Generate.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract:
                "Write a new signer key (Go sumdb/note form) to a new file only its owner can read; print the verifier key."
        )

        @Argument(help: "The key's name: no spaces, no '+' (for example example.org/ledger).")
        var name: String

        @Option(help: "The file to create, mode 0600; an existing file is never overwritten.")
        var out: String

        func validate() throws {
            guard NoteKey.isValidName(name) else {
                throw ValidationError(
                    "the key name \"\(name)\" must be non-empty, without spaces, control characters or '+'")
            }
        }

        func run() throws {
            let signer = try NoteSigner.generate(name: name)
            try SignerKeyFile.create(out, holding: signer)
            try Output.standardOutput.line(signer.verifier.text)
        }
    }
}

extension SignerKeyFile {
    static func create(_ path: String, holding signer: NoteSigner) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST {
                throw ValidationError("--out \(path) exists: a key file is never overwritten")
            }
            throw OutputFileError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        let bytes = Array((signer.text + "\n").utf8)
        var written = 0
        var failure: Int32 = 0
        // The mode is set again in case the umask took bits the file must not have had anyway.
        if fchmod(descriptor, 0o600) != 0 { failure = errno }
        while failure == 0 && written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                failure = errno
            } else {
                written += count
            }
        }
        if failure == 0 && fsync(descriptor) != 0 { failure = errno }
        if close(descriptor) != 0 && failure == 0 { failure = errno }
        if failure != 0 {
            unlink(path)
            throw OutputFileError.cannotWrite(path: path, reason: String(cString: strerror(failure)))
        }
    }

}
