import Foundation
import LedgerDomain

/// OFAC's SDN list in its legacy CSV files: `sdn.csv` (one row per entry), and when given,
/// `alt.csv` (aliases), `add.csv` (postal addresses) and `sdn_comments.csv` (the rest of
/// `Remarks` past 1,000 characters). No header row, CRLF, `-0-` for empty, a final Ctrl-Z
/// line. `sdn.csv` streams; the three others are small and are read first, by `ent_num`.
public struct OFACSDNList {
    public let sdn: String
    public let alt: String?
    public let add: String?
    public let comments: String?

    public static let list = "OFAC-SDN"
    public static let publisher = "U.S. Department of the Treasury, Office of Foreign Assets Control"
    public static let title = "Specially Designated Nationals and Blocked Persons List (SDN)"
    public static let url = "https://www.treasury.gov/ofac/downloads/sdn.csv"

    /// The files of one snapshot, told apart by base name.
    public init(files: [String]) throws(ImportError) {
        var byName: [String: String] = [:]
        for file in files {
            let name = (file as NSString).lastPathComponent.lowercased()
            guard ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"].contains(name) else {
                throw .badFileSet(
                    reason: "\(file): an ofac-csv file is named sdn.csv, alt.csv, add.csv or sdn_comments.csv")
            }
            guard byName[name] == nil else { throw .badFileSet(reason: "\(name) given twice") }
            byName[name] = file
        }
        guard let sdn = byName["sdn.csv"] else {
            throw .badFileSet(reason: "ofac-csv needs sdn.csv (and optionally alt.csv, add.csv, sdn_comments.csv)")
        }
        self.sdn = sdn
        alt = byName["alt.csv"]
        add = byName["add.csv"]
        comments = byName["sdn_comments.csv"]
    }

    /// Every file of the snapshot, the main one first.
    public var files: [String] { [sdn] + [alt, add, comments].compactMap { $0 } }

    /// Reads the snapshot, calling `body` with each entry in `sdn.csv`'s order; `main` is
    /// `sdn.csv` opened (and hashed) by the caller.
    ///
    /// What shows the snapshot is not whole is refused: a `sdn.csv` without entries or without
    /// its final Ctrl-Z line (a cut download), and a side file naming an `ent_num` that
    /// `sdn.csv` lacks.
    public func read(main: SnapshotInput, _ body: (ListEntry) throws -> Void) throws {
        // The side files are read first, by `ent_num`: each row's first line is kept for errors.
        var aliases: [String: [String]] = [:]
        var sideLines: [String: (file: String, line: Int)] = [:]
        func note(_ entNum: String, _ file: String, _ line: Int) {
            if sideLines[entNum] == nil { sideLines[entNum] = (file, line) }
        }
        if let alt {
            try Self.records(alt, fields: 5, format: "alt.csv") { fields, line in
                let entNum = try Self.entNum(fields[0], file: alt, line: line)
                note(entNum, alt, line)
                let name = Self.value(fields[3])
                if !name.isEmpty { aliases[entNum, default: []].append(name) }
            }
        }
        if let add {
            // Postal addresses have no place in a designation event (contract section 2): the
            // file is checked, not imported.
            try Self.records(add, fields: 6, format: "add.csv") { fields, line in
                note(try Self.entNum(fields[0], file: add, line: line), add, line)
            }
        }
        var extended: [String: String] = [:]
        if let comments {
            try Self.records(comments, fields: 2, format: "sdn_comments.csv") { fields, line in
                let entNum = try Self.entNum(fields[0], file: comments, line: line)
                note(entNum, comments, line)
                extended[entNum, default: ""] += Self.value(fields[1], trimmed: false)
            }
        }
        let ending = try Self.records(CSVRecords(main), fields: 12, format: "sdn.csv") { fields, line in
            let entNum = try Self.entNum(fields[0], file: sdn, line: line)
            sideLines[entNum] = nil
            let name = Self.value(fields[1])
            guard !name.isEmpty else {
                throw ImportError.invalid(
                    file: sdn, line: line, field: "SDN_Name", reason: "entry \(entNum) has no name")
            }
            let type = Self.value(fields[2])
            let entityType: EntityType
            var unknownType = false
            switch type.lowercased() {
            case "": entityType = .organization
            case "individual": entityType = .individual
            case "vessel": entityType = .vessel
            case "aircraft": entityType = .aircraft
            default:
                entityType = .organization
                unknownType = true
            }
            let programs = Self.value(fields[3]).components(separatedBy: "] [")
                .map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
            var entry = ListEntry(
                list: Self.list, slug: ListEntry.slug(prefix: "ofac-", key: entNum), entity: name,
                entityType: entityType, aliases: [], identifiers: [],
                program: programs.isEmpty ? nil : programs.joined(separator: ";"), listedOn: nil, line: line,
                file: sdn)
            if unknownType {
                entry.repair(
                    "SDN_Type",
                    "unknown SDN_Type \"\(type)\" (OFAC writes individual, vessel, aircraft or -0-): read as an entity")
            }
            let remarks = Self.value(fields[11], trimmed: false) + (extended.removeValue(forKey: entNum) ?? "")
            for alias in aliases.removeValue(forKey: entNum) ?? [] { entry.addAlias(alias, field: "alt_name") }
            for alias in Self.remarkNames(in: remarks) { entry.addAlias(alias, field: "Remarks") }
            let callSign = Self.value(fields[5])
            if !callSign.isEmpty {
                entry.addIdentifier(Identifier(kind: .callSign, value: callSign), field: "Call_Sign")
            }
            for identifier in Self.digitalCurrencyAddresses(in: remarks) + Self.documents(in: remarks) {
                entry.addIdentifier(identifier, field: "Remarks")
            }
            try body(entry)
        }
        guard ending.records > 0 else {
            throw ImportError.invalid(
                file: sdn, line: 0, field: "", reason: "no entries: an empty or cut download, nothing appended")
        }
        guard ending.hasEndMark else {
            throw ImportError.invalid(
                file: sdn, line: 0, field: "",
                reason:
                    "no final Ctrl-Z line, which OFAC ends sdn.csv with: a cut download? nothing appended (download it again)"
            )
        }
        if let (entNum, place) = sideLines.min(by: { ($0.value.file, $0.value.line) < ($1.value.file, $1.value.line) })
        {
            throw ImportError.invalid(
                file: place.file, line: place.line, field: "ent_num",
                reason: "\(entNum) is not an entry of \(sdn): the files are not of one snapshot")
        }
    }

    /// The records of `path`, each checked to have `fields` fields.
    @discardableResult
    static func records(_ path: String, fields count: Int, format: String, _ body: ([String], Int) throws -> Void)
        throws -> CSVRecords.Ending
    {
        try records(CSVRecords(SnapshotInput(path: path, digest: false)), fields: count, format: format, body)
    }

    /// The records `reader` reads, each checked to have `fields` fields.
    static func records(
        _ reader: CSVRecords, fields count: Int, format: String, _ body: ([String], Int) throws -> Void
    ) throws -> CSVRecords.Ending {
        try reader.forEach { fields, line in
            guard fields.count == count else {
                throw ImportError.invalid(
                    file: reader.name, line: line, field: "",
                    reason:
                        "\(fields.count) field\(fields.count == 1 ? "" : "s") where OFAC's \(format) has \(count): not an OFAC \(format)"
                )
            }
            try body(fields, line)
        }
    }

    /// An `ent_num`: digits, in canonical form (`01001` is `1001`).
    static func entNum(_ field: String, file: String, line: Int) throws -> String {
        let value = field.trimmingWhitespace()
        guard !value.isEmpty, value.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw ImportError.invalid(
                file: file, line: line, field: "ent_num", reason: "\"\(value)\" is not an ent_num (a number)")
        }
        let canonical = value.drop { $0 == "0" }
        return canonical.isEmpty ? "0" : String(canonical)
    }

    /// A field's value: `-0-` (with or without spaces) is empty; trimmed unless told not to
    /// (the two halves of a cut `Remarks` are joined as they are).
    static func value(_ field: String, trimmed: Bool = true) -> String {
        let clean = field.trimmingWhitespace()
        if clean == "-0-" { return "" }
        return trimmed ? clean : field
    }

    /// Each name written in `Remarks` as `a.k.a. 'NAME'`, `f.k.a. 'NAME'` or `n.k.a. 'NAME'`,
    /// in order. A name may hold an apostrophe (`'ABU-'UMAR'`): it ends at the quote that
    /// ends the remark's item (one followed by `;`, `,`, `.`, `)`, white space or the end).
    static func remarkNames(in remarks: String) -> [String] {
        var names: [String] = []
        var rest = remarks[...]
        let markers = ["a.k.a. '", "f.k.a. '", "n.k.a. '"]
        while let marker = markers.compactMap({ rest.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) {
            let start = marker.upperBound
            var end: Substring.Index?
            var index = start
            while index < rest.endIndex {
                if rest[index] == "'" {
                    let next = rest.index(after: index)
                    if next == rest.endIndex || [";", ",", ".", ")"].contains(rest[next]) || rest[next].isWhitespace {
                        end = index
                        break
                    }
                }
                index = rest.index(after: index)
            }
            guard let end else { break }
            let name = String(rest[start..<end]).trimmingWhitespace()
            if !name.isEmpty { names.append(name) }
            rest = rest[rest.index(after: end)...]
        }
        return names
    }

    /// The identifier kinds of `Remarks` items, by the words that begin the item (after any
    /// `alt.`), longest first: each one the files state that names a person, vessel or
    /// company, with the kind the contract gives it (section 8), others as `other`.
    static let remarkKinds: [(prefix: String, kind: IdentifierKind)] = [
        ("Vessel Registration Identification IMO", .imo), ("Identification Number IMO", .imo),
        ("Company Number IMO", .imo), ("British National Overseas Passport", .passport),
        ("Stateless Person Passport", .passport), ("Diplomatic Passport", .passport), ("Passport Booklet", .passport),
        ("Passport", .passport), ("Tazkira National ID Card", .nationalID), ("National ID No.", .nationalID),
        ("Cedula No.", .nationalID), ("C.U.R.P. #", .nationalID), ("C.U.R.P.", .nationalID),
        ("D.N.I.", .nationalID), ("C.U.I.", .nationalID), ("CNP (Personal Numerical Code)", .nationalID),
        ("Identification Number", .nationalID), ("Tax ID No.", .taxID), ("NIT #", .taxID), ("R.F.C. #", .taxID),
        ("R.F.C.", .taxID), ("RUC #", .taxID), ("Fiscal Code", .taxID), ("MMSI", .mmsi),
        ("Other Vessel Call Sign", .callSign), ("Call Sign", .callSign), ("SWIFT/BIC", .swiftBIC),
        ("Registration Number", .other), ("Registration ID", .other), ("Company Number", .other),
        ("Commercial Registry Number", .other), ("Business Registration Document #", .other),
        ("Folio Mercantil No.", .other), ("Matricula Mercantil No", .other), ("D-U-N-S Number", .other),
        ("C.R. No.", .other), ("Aircraft Manufacturer's Serial Number (MSN)", .other),
        ("Aircraft Serial Identification", .other), ("Aircraft Mode S Transponder Code", .other),
    ]

    /// Each identifier stated in `Remarks` as an item `KIND VALUE[ (Country)][ issued …][
    /// expires …]` (after any `alt.`), in order, besides the digital currency addresses.
    static func documents(in remarks: String) -> [Identifier] {
        var identifiers: [Identifier] = []
        for item in remarks.split(separator: ";") {
            var text = String(item).trimmingWhitespace()
            if text.hasPrefix("alt. ") { text = String(text.dropFirst(5)) }
            guard let (prefix, kind) = remarkKinds.first(where: { text.hasPrefix($0.prefix + " ") }) else { continue }
            var value = text.dropFirst(prefix.count + 1)
            for stop in [" (", " issued", " expires", ", "] {
                if let range = value.range(of: stop) { value = value[..<range.lowerBound] }
            }
            var number = String(value).trimmingWhitespace()
            if number.hasSuffix(".") { number.removeLast() }
            // A number holds a digit (a bank code need not): other text there is no identifier.
            let isNumber = number.unicodeScalars.contains { ("0"..."9").contains($0) }
            if !number.isEmpty && (isNumber || kind == .swiftBIC) {
                identifiers.append(Identifier(kind: kind, value: number))
            }
        }
        return identifiers
    }

    /// Each `Digital Currency Address - CODE ADDRESS` in `Remarks` (also after `alt.`), in
    /// order: the address runs to the next white space, `;` or `,`, a final `.` removed.
    static func digitalCurrencyAddresses(in remarks: String) -> [Identifier] {
        var identifiers: [Identifier] = []
        var rest = remarks[...]
        while let marker = rest.range(of: "Digital Currency Address - ") {
            rest = rest[marker.upperBound...]
            let code = rest.prefix { !$0.isWhitespace && $0 != ";" && $0 != "," }
            rest = rest[code.endIndex...].drop { $0 == " " }
            var address = String(rest.prefix { !$0.isWhitespace && $0 != ";" && $0 != "," })
            rest = rest.dropFirst(address.count)
            if address.hasSuffix(".") { address.removeLast() }
            guard !address.isEmpty else { continue }
            let kind: IdentifierKind =
                switch code {
                case "ETH": .ethAddress
                case "XBT": .btcAddress
                case "TRX": .trxAddress
                default: .other
                }
            identifiers.append(Identifier(kind: kind, value: address))
        }
        return identifiers
    }
}
