import ArgumentParser
import LedgerAnswers
import LedgerDomain
import LedgerImport
import LedgerStore

/// `ledger import FORMAT FILE…`: a snapshot of an official sanctions list as designation
/// events, one atomic batch (contract section 8).
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
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

    @Flag(name: .customLong("dry-run"), help: "Print the events as NDJSON instead of appending them; write nothing.")
    var dryRun = false

    @Flag(
        name: .customLong("allow-mass-removal"),
        help: "Accept a snapshot that removes more than half of a list's imported designations.")
    var allowMassRemoval = false

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

    /// The earliest snapshot date: the day the United Nations came into being.
    static let earliestSnapshot = Day(year: 1945, month: 10, day: 24)!

    /// Refuses a snapshot date no list can have: after today (UTC), where a typo would lock
    /// the list against every later import, or before the UN existed.
    static func checkSnapshotDate(_ day: Day, file: String, field: String) throws {
        let today = DayArgument.today
        if day > today {
            throw ImportError.invalid(
                file: file, line: 0, field: field,
                reason: "the snapshot date \(day) is after today (\(today), UTC): a typo? nothing appended")
        }
        if day < earliestSnapshot {
            throw ImportError.invalid(
                file: file, line: 0, field: field,
                reason: "the snapshot date \(day) is before 1945-10-24, when the United Nations came into being")
        }
    }

    func run() throws {
        let recordedBy = actor ?? environment("LEDGER_ACTOR") ?? environment("USER") ?? "unknown"
        let snapshot: ListSnapshot =
            switch format {
            case .unXML: .un(UNConsolidatedList(path: files[0]))
            case .ofacCSV: .ofac(try OFACSDNList(files: files))
            }
        // The main file is read once: the events carry the SHA-256 of exactly the bytes parsed.
        let main = try SnapshotInput(path: snapshot.mainFile, digest: true)
        guard let sha256 = main.sha256 else { throw ImportError.unreadable(path: main.path, reason: "not hashed") }
        for file in snapshot.files.dropFirst() where !Ledger.fileExists(file) {
            throw ImportError.missingFile(path: file)
        }
        let ledger =
            dryRun
            ? try Ledger.openForDryRun(path: database.resolvedPath) : try openLedgerForWriting(database.resolvedPath)
        let appender =
            dryRun ? try ledger.beginDryRun(recordedBy: recordedBy) : try ledger.beginAppend(recordedBy: recordedBy)
        let interruption = dryRun ? nil : Interruption.catching()
        let progress = Progress(verb: "compared", quiet: quiet || dryRun)
        var diffs: [String: SnapshotDiff] = [:]
        var entries: Int64 = 0
        var holdings: ListHoldings?
        let output = Output.standardOutput
        let standardError = Output(descriptor: 2, name: "standard error")
        func take(_ events: [Event]) throws {
            for event in events {
                try interruption?.check()
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
                try Self.checkSnapshotDate(
                    day, file: snapshot.mainFile, field: publishedOn == nil ? "dateGenerated" : "--published-on")
                snapshotDate = day
                holdings = try ListHoldings.load(from: ledger, asOf: day, lists: wanted)
            }
            func diff(of entryList: String) throws -> SnapshotDiff {
                if let diff = diffs[entryList] { return diff }
                guard let snapshotDate, let holdings else { throw ImportError.badFileSet(reason: "no snapshot date") }
                return try SnapshotDiff(
                    list: entryList, snapshotDate: snapshotDate, origin: origin(entryList), holdings: holdings,
                    allowsMassRemoval: allowMassRemoval)
            }
            func entry(_ entry: ListEntry) throws {
                if entry.isSkipped && !snapshot.isItsList(entry.list) {
                    // An entry too broken to name its list: its warnings all the same.
                    for repair in entry.repairs {
                        try standardError.line("warning: " + repair.message.replacingControlCharacters())
                    }
                    return
                }
                guard wanted(entry.list) else { return }
                var listDiff = try diff(of: entry.list)
                let (events, repairs) = try listDiff.events(for: entry)
                diffs[entry.list] = listDiff
                for repair in repairs {
                    try standardError.line("warning: " + repair.message.replacingControlCharacters())
                }
                try take(events)
                entries += 1
                if entries % 500 == 0 { progress.update(events: entries) }
            }
            switch snapshot {
            case .un(let file):
                try file.read(input: main, begin: begin, entry)
            case .ofac(let files):
                guard let day = publishedOn?.day else { throw ValidationError("ofac-csv needs --published-on DATE") }
                try begin(day)
                try files.read(main: main, entry)
                if diffs[OFACSDNList.list] == nil { diffs[OFACSDNList.list] = try diff(of: OFACSDNList.list) }
            }
            try standardError.flush()
            if let list, diffs[list] == nil {
                throw ImportError.invalid(
                    file: snapshot.mainFile, line: 0, field: "", reason: "the file holds no entry of list \(list)")
            }
            for name in diffs.keys.sorted() {
                var listDiff = diffs[name]!
                try take(try listDiff.removals())
                diffs[name] = listDiff
            }
            progress.finish()
            if dryRun {
                appender.rollback()
            } else {
                try interruption?.check()
                _ = try appender.commit()
            }
            let summaries = diffs.keys.sorted().map { diffs[$0]!.summary.line }
            if dryRun {
                try output.flush()
                for line in summaries { try standardError.line(line) }
                try standardError.flush()
            } else {
                for line in summaries { try output.line(line) }
                try output.flush()
            }
        } catch {
            progress.finish()
            try? standardError.flush()
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
