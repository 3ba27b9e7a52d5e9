import ArgumentParser
import LedgerDomain
import LedgerImport
import LedgerStore

/// `ledger import FORMAT FILE…`: a snapshot of an official sanctions list as designation
/// events, one atomic batch (contract section 8).
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import a snapshot of an official sanctions list (un-xml, ofac-csv) as designation events.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case unXML = "un-xml"
        case ofacCSV = "ofac-csv"
    }

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "un-xml (the UN consolidated list) or ofac-csv (sdn.csv [alt.csv] [add.csv] [sdn_comments.csv]).")
    var format: Format

    @Argument(help: "The snapshot's file(s).")
    var files: [String]

    @Option(help: "Import only this list of the file (un-xml: e.g. UN-DPRK).")
    var list: String?

    @Option(name: .customLong("published-on"), help: "The snapshot's date YYYY-MM-DD (required for ofac-csv).")
    var publishedOn: DayArgument?

    @Flag(name: .customLong("dry-run"), help: "Print the events as NDJSON instead of appending them.")
    var dryRun = false

    @Option(help: "Who appends (default: $LEDGER_ACTOR, else $USER, else unknown).")
    var actor: String?

    @Flag(help: "No progress on standard error.")
    var quiet = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("name the snapshot's file(s)") }
        if format == .unXML && files.count != 1 { throw ValidationError("un-xml takes one file") }
        if format == .ofacCSV && publishedOn == nil {
            throw ValidationError("ofac-csv needs --published-on DATE: OFAC's files carry no date")
        }
        if actor?.isEmpty == true { throw ValidationError("--actor must not be empty") }
    }

    func run() throws {
        let recordedBy = actor ?? environment("LEDGER_ACTOR") ?? environment("USER") ?? "unknown"
        let snapshot: ListSnapshot =
            switch format {
            case .unXML: .un(UNConsolidatedList(path: files[0]))
            case .ofacCSV: .ofac(try OFACSDNList(files: files))
            }
        let sha256 = try FileDigest.sha256(of: snapshot.mainFile)
        for file in snapshot.files.dropFirst() where !Ledger.fileExists(file) {
            throw ImportError.missingFile(path: file)
        }
        let ledger = try Ledger.openForWriting(path: database.resolvedPath)
        let appender = try ledger.beginAppend(recordedBy: recordedBy)
        let progress = Progress(verb: "compared", quiet: quiet || dryRun)
        var diffs: [String: SnapshotDiff] = [:]
        var entries: Int64 = 0
        var holdings: ListHoldings?
        let output = Output.standardOutput
        func take(_ events: [Event]) throws {
            for event in events {
                if dryRun {
                    try output.write(event.ndjson)
                    try output.line("")
                }
                do {
                    _ = try appender.add(event)
                } catch let error as EventValidationError {
                    throw ImportError.invalid(
                        file: snapshot.mainFile, line: 0, field: error.field,
                        reason: "\(event.id.text): \(error.reason)")
                }
            }
        }
        do {
            var snapshotDate = publishedOn?.day
            let origin = { (list: String) in
                SnapshotDiff.Origin(
                    publisher: snapshot.publisher, title: snapshot.title(of: list), url: snapshot.url, sha256: sha256,
                    file: snapshot.mainFile)
            }
            let wanted = { (entryList: String) in
                snapshot.isItsList(entryList) && (list == nil || entryList == list)
            }
            func begin(_ generated: Day) throws {
                let day = publishedOn?.day ?? generated
                snapshotDate = day
                holdings = try ListHoldings.load(from: ledger, asOf: day, lists: wanted)
            }
            func entry(_ entry: ListEntry) throws {
                guard wanted(entry.list), let snapshotDate, let holdings else { return }
                if diffs[entry.list] == nil {
                    diffs[entry.list] = try SnapshotDiff(
                        list: entry.list, snapshotDate: snapshotDate, origin: origin(entry.list), holdings: holdings)
                }
                try take(try diffs[entry.list]!.events(for: entry))
                entries += 1
                if entries % 500 == 0 { progress.update(events: entries) }
            }
            switch snapshot {
            case .un(let file):
                try file.read(begin: begin, entry)
            case .ofac(let files):
                try begin(publishedOn!.day)
                try files.read(entry)
                if diffs[OFACSDNList.list] == nil, let snapshotDate, let holdings {
                    // An empty list: everything it held is gone.
                    diffs[OFACSDNList.list] = try SnapshotDiff(
                        list: OFACSDNList.list, snapshotDate: snapshotDate, origin: origin(OFACSDNList.list),
                        holdings: holdings)
                }
            }
            if let list, diffs[list] == nil {
                throw ImportError.invalid(
                    file: snapshot.mainFile, line: 0, field: "", reason: "the file holds no entry of list \(list)")
            }
            for name in diffs.keys.sorted() { try take(try diffs[name]!.removals()) }
            progress.finish()
            if dryRun {
                appender.rollback()
            } else {
                _ = try appender.commit()
            }
            let summaries = diffs.keys.sorted().map { diffs[$0]!.summary.line }
            if dryRun {
                try output.flush()
                let standardError = Output(descriptor: 2, name: "standard error")
                for line in summaries { try standardError.line(line) }
                try standardError.flush()
            } else {
                for line in summaries { try output.line(line) }
                try output.flush()
            }
        } catch {
            progress.finish()
            appender.rollback()
            throw error
        }
    }
}

/// The files of one snapshot, in one of the formats.
enum ListSnapshot {
    case un(UNConsolidatedList)
    case ofac(OFACSDNList)

    /// The file whose SHA-256 the events carry: the XML, or `sdn.csv`.
    var mainFile: String {
        switch self {
        case .un(let file): file.path
        case .ofac(let files): files.sdn
        }
    }

    var files: [String] {
        switch self {
        case .un(let file): [file.path]
        case .ofac(let files): files.files
        }
    }

    var publisher: String {
        switch self {
        case .un: UNConsolidatedList.publisher
        case .ofac: OFACSDNList.publisher
        }
    }

    var url: String {
        switch self {
        case .un: UNConsolidatedList.url
        case .ofac: OFACSDNList.url
        }
    }

    func title(of list: String) -> String {
        switch self {
        case .un: UNConsolidatedList.title(of: list)
        case .ofac: OFACSDNList.title
        }
    }

    /// Whether `list` is one this format's files hold.
    func isItsList(_ list: String) -> Bool {
        switch self {
        case .un: list.hasPrefix("UN-")
        case .ofac: list == OFACSDNList.list
        }
    }
}
