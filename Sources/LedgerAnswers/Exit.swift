import LedgerDomain
import LedgerImport
import LedgerStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A refused input line: `error: FILE:LINE: FIELD: why`, exit 65.
public struct InputError: Error {
    public var file: String
    public var line: Int
    public var field: String
    public var reason: String
    /// The line was refused because the log already holds something else
    /// (`EventValidationError.isConflict`): HTTP 409.
    public var isConflict: Bool

    public init(file: String, line: Int, field: String, reason: String, isConflict: Bool = false) {
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
        self.isConflict = isConflict
    }
}

/// An input file that cannot be opened or read.
public enum InputFileError: Error {
    case missing(path: String)
    case unreadable(path: String, reason: String)
    case noSuchStream(String)
}

/// A command line that parses but cannot be carried out: exit 64.
public enum UsageError: Error {
    /// `--output` names the ledger file, or its `-wal`, `-shm` or `-journal` file.
    case outputIsTheLedger(output: String, ledger: String)
    /// `--output` leads through a link that another user owns in a shared sticky directory.
    case protectedLink(path: String)
    /// A screening query with nothing to compare once normalised.
    case unscreenableQuery
}

/// `verify` found a fault: exit 1 naming the first bad `seq`.
public struct VerifyFailure: Error {
    public var seq: Int64
    public var reason: String

    public init(seq: Int64, reason: String) {
        self.seq = seq
        self.reason = reason
    }
}

/// `verify` found a guard of the log missing, switched off or changed: exit 1 naming it.
public struct GuardFailure: Error {
    public var problems: [LogGuard]

    public init(problems: [LogGuard]) {
        self.problems = problems
    }
}

/// `copy` stopped where the source's chain breaks (exit 1); what came before was copied.
public struct CopyFailure: Error {
    public var seq: Int64
    public var reason: String

    public init(seq: Int64, reason: String) {
        self.seq = seq
        self.reason = reason
    }
}

/// `verify` found a stored view that differs from a fresh replay: exit 1 naming the view.
public struct ViewFailure: Error {
    public var view: String
    public var stream: String
    public var reason: String

    public init(view: String, stream: String, reason: String) {
        self.view = view
        self.stream = stream
        self.reason = reason
    }
}

/// The one place where errors become `error:` lines and the contract's exit codes (section 6).
public enum Exit {
    public static let fault: Int32 = 1
    public static let usage: Int32 = 64
    public static let invalidData: Int32 = 65
    public static let noInput: Int32 = 66
    public static let internalError: Int32 = 70
    public static let ioError: Int32 = 74
    public static let busy: Int32 = 75

    /// Writes `note: message` as one line on standard error (what happened, nothing wrong).
    public static func printNote(_ message: String) {
        let bytes = Array("note: \(message.replacingControlCharacters())\n".utf8)
        bytes.withUnsafeBytes { raw in _ = write(2, raw.baseAddress, raw.count) }
    }

    /// Writes `warning: message` as one line on standard error, shown as `printError` shows
    /// an error.
    public static func printWarning(_ message: String) {
        let bytes = Array("warning: \(message.redactingSignerKeys().replacingControlCharacters())\n".utf8)
        bytes.withUnsafeBytes { raw in _ = write(2, raw.baseAddress, raw.count) }
    }

    /// Writes `error: message` as one line on standard error: control characters shown as
    /// escapes, and anything that reads as a signer key (pasted where something else was
    /// asked for) replaced, so that no error line ever shows a secret.
    public static func printError(_ message: String) {
        let oneLine = message.redactingSignerKeys().replacingControlCharacters()
        let bytes = Array("error: \(oneLine)\n".utf8)
        bytes.withUnsafeBytes { raw in _ = write(2, raw.baseAddress, raw.count) }
    }

    /// The exit code and message for `error`.
    public static func describe(_ error: any Error) -> (Int32, String) {
        switch error {
        case let error as any DescribedFailure:
            return error.exitDescription
        case let error as InputError:
            return (invalidData, "\(error.file):\(error.line): \(error.field): \(error.reason)")
        case let error as ImportError:
            switch error {
            case .missingFile(let path): return (noInput, "\(path): no such input file")
            case .unreadable(let path, let reason): return (ioError, "\(path): cannot read: \(reason)")
            case .invalid(let file, let line, let field, let reason):
                let place = line > 0 ? "\(file):\(line)" : file
                return (invalidData, field.isEmpty ? "\(place): \(reason)" : "\(place): \(field): \(reason)")
            case .olderSnapshot(let file, let list, let snapshot, let last):
                return (
                    invalidData,
                    "\(file): the snapshot of \(list) of \(snapshot) is older than the last one imported (\(last)): nothing appended"
                )
            case .badFileSet(let reason): return (usage, reason)
            }
        case let error as InputFileError:
            switch error {
            case .missing(let path): return (noInput, "\(path): no such input file")
            case .unreadable(let path, let reason): return (ioError, "\(path): cannot read: \(reason)")
            case .noSuchStream(let stream): return (noInput, "no stream \(stream) in the ledger")
            }
        case let error as OutputFileError:
            switch error {
            case .cannotWrite(let path, let reason): return (ioError, "\(path): cannot write: \(reason)")
            }
        case let error as UsageError:
            switch error {
            case .outputIsTheLedger(let output, let ledger):
                return (usage, "--output \(output) is the ledger \(ledger) (or one of its files): nothing written")
            case .unscreenableQuery:
                return (usage, "the query is empty: it holds no letter, digit or identifier once normalised")
            case .protectedLink(let path):
                return (
                    usage,
                    "--output \(path) is a symbolic link that another user owns in a shared sticky directory: not followed (as the kernel's fs.protected_symlinks refuses it), nothing written"
                )
            }
        case let error as ViewFailure:
            return (fault, "verify: view \(error.view): \(error.stream): \(error.reason)")
        case let error as VerifyFailure:
            return (fault, "verify: seq \(error.seq): \(error.reason)")
        case let error as GuardFailure:
            let named = error.problems.map { "\($0.name) is \($0.problem)" }.joined(separator: ", ")
            return (
                fault,
                "verify: the log's append-only guard \(named): the database no longer refuses changes to the log (a writer on a file, or the tables' owner on a server, restores it; compare the head with a checkpoint kept elsewhere)"
            )
        case let error as ExplainError:
            switch error {
            case .noRow(let report, let key, let asOf, let atSeq):
                let seq = atSeq.map { " at seq \($0)" } ?? ""
                return (noInput, "report \(report) has no row \(key) as of \(asOf)\(seq)")
            }
        case let error as ReproduceFailure:
            return (fault, "reproduce: \(error.reason)")
        case let error as CheckpointFailure:
            return (fault, "checkpoint: \(error.reason)")
        case let error as CopyFailure:
            return (
                fault,
                "copy: the source's chain breaks at seq \(error.seq): \(error.reason); copied up to seq \(error.seq - 1)"
            )
        case let error as LedgerStoreError:
            switch error {
            case .database(let failure):
                return describe(failure)
            case .databaseMissing(let path):
                return (noInput, "\(path): no such ledger (create one with: ledger init --db \(path))")
            case .notALedger(let path, let reason):
                return (noInput, "\(path): not a ledger: \(reason)")
            case .newerSchema(let path, let version):
                return (invalidData, "\(path): written by a newer ledger (schema \(version)); upgrade this program")
            case .corruptView(let stream):
                return (internalError, "stored view of \(stream) cannot be read: rebuild the views with ledger replay")
            case .notAPrefix(let path, let reason):
                return (invalidData, "\(path): not a copy of the source's log so far: \(reason); nothing copied")
            case .badServerURL(let reason):
                return (usage, "--db: the server URL \(reason)")
            case .serverUnavailable(let server, let reason):
                return (noInput, "\(server): \(reason)")
            case .serverFailed(let server, let reason):
                return (ioError, "\(server): \(reason)")
            case .readReplica(let server, let reason):
                return (ioError, "\(server): \(reason)")
            }
        case let error as EventValidationError:
            return (invalidData, "\(error.field): \(error.reason)")
        default:
            return (internalError, "internal error: \(error)")
        }
    }
}

extension Exit {
    /// The exit code and message for a failure of the database, whichever engine reported it.
    public static func describe(_ failure: DatabaseFailure) -> (Int32, String) {
        switch failure.kind {
        case .busy:
            return (busy, "the ledger is locked by another writer past the busy timeout; retry (\(failure.message))")
        case .readReplica:
            return (ioError, "the server is a read replica (hot standby) and refuses writes: \(failure.message)")
        case .io:
            return (ioError, "I/O error: \(failure.message)")
        case .corrupt:
            return (noInput, "not a ledger: \(failure.message)")
        case .permissionDenied:
            return (ioError, "the database refuses this role: \(failure.message) (\(failure.code))")
        case .conflict, .other:
            return (internalError, "internal error: \(failure)")
        }
    }
}

extension String {
    /// The text with every `PRIVATE+KEY+…` run (up to white space or a quote) replaced by
    /// `<a signer key>`.
    public func redactingSignerKeys() -> String {
        guard NoteKey.looksLikeSignerKey(self) else { return self }
        var result = ""
        var rest = self[...]
        while let start = rest.firstRange(of: "PRIVATE+KEY+") {
            result += rest[..<start.lowerBound] + "<a signer key>"
            rest = rest[start.lowerBound...].drop { !$0.isWhitespace && $0 != "'" && $0 != "\"" }
        }
        return result + rest
    }

    /// The text with control characters, bidirectional controls and line or paragraph
    /// separators written as visible escapes (`\n`, `\u{1b}`, `\u{202e}`), so nothing a
    /// stored value holds can act on the terminal, reverse what is shown, or split a row.
    public func replacingControlCharacters() -> String {
        guard unicodeScalars.contains(where: \.needsEscape) else { return self }
        var result = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.needsEscape:
                result += "\\u{\(String(scalar.value, radix: 16))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

extension Unicode.Scalar {
    /// C0 and C1 controls and DEL (what a terminal may act on), the bidirectional controls
    /// (which reorder what is shown: U+061C, U+200E, U+200F, U+202A…U+202E, U+2066…U+2069) and
    /// the line and paragraph separators U+2028 and U+2029.
    public var needsEscape: Bool {
        switch value {
        case 0..<0x20, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029:
            true
        default:
            false
        }
    }
}

/// A failure that says its own exit code and message: those of the command line's own
/// errors (a usage error found by the argument parser, an interruption), which
/// `Exit.describe` tells like every other.
public protocol DescribedFailure: Error {
    var exitDescription: (code: Int32, message: String) { get }
}

/// A report asked for a row it does not have that day (`explain`): exit 66.
public enum ExplainError: Error {
    case noRow(report: String, key: String, asOf: Day, atSeq: Int64?)
}

/// `checkpoint --key` found a stored tree that the log does not give: exit 1, nothing signed.
public struct CheckpointFailure: Error {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }
}

/// `reproduce` found the report differs from its manifest: exit 1.
public struct ReproduceFailure: Error {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }
}
