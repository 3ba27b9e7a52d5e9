import ArgumentParser
import Foundation
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

/// A signer key's file: created 0600 and never overwritten; read only when no one but its
/// owner can read or write it. Errors name the file, never its contents.
enum SignerKeyFile {
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

    /// Opens the file once (not through a link) and checks and reads that same file.
    static func read(_ path: String) throws -> NoteSigner {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { throw InputFileError.missing(path: path) }
            if errno == ELOOP {
                throw InputError(
                    file: path, line: 1, field: "key", reason: "is a symbolic link; name the key file itself")
            }
            throw InputFileError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw InputError(file: path, line: 1, field: "key", reason: "is not a regular file")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw InputError(
                file: path, line: 1, field: "key",
                reason:
                    "a signer key must be readable by its owner only, this file has mode \(String(mode, radix: 8)) (chmod 600 \(path))"
            )
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count <= 1 << 16 {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else {
                throw InputFileError.unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw InputError(file: path, line: 1, field: "key", reason: "is not UTF-8 text")
        }
        do {
            return try NoteSigner(text: text)
        } catch .invalidName(_) {
            throw InputError(file: path, line: 1, field: "key", reason: "the key's name is not valid")
        } catch .malformed(let reason) {
            throw InputError(file: path, line: 1, field: "key", reason: reason)
        }
    }
}
