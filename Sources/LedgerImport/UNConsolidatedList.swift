import Foundation
import LedgerDomain

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The UN Security Council Consolidated List (XML, root `CONSOLIDATED_LIST`), read as a
/// stream of entries by a SAX parser (Foundation's `XMLParser`, libxml2 on Linux), so that
/// memory stays flat however large the file.
public struct UNConsolidatedList {
    /// The file's path, as errors name it.
    public let path: String

    public static let publisher = "United Nations Security Council"
    public static let url = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"

    public init(path: String) {
        self.path = path
    }

    /// The title naming one of the file's lists.
    public static func title(of list: String) -> String {
        "United Nations Security Council Consolidated List: \(list)"
    }

    /// Reads the file: `begin` with the snapshot date (`dateGenerated`'s day) once the root is
    /// read, then `body` with each entry in document order. `input` is the file opened (and
    /// hashed) by the caller. A malformed file, or one that is not a consolidated list, throws
    /// naming its line.
    public func read(input: SnapshotInput, begin: (Day) throws -> Void, _ body: (ListEntry) throws -> Void) throws {
        let stream = SnapshotStream(input)
        let parser = XMLParser(stream: stream)
        parser.shouldResolveExternalEntities = false
        // The delegate holds the closures only while `parse` runs.
        let (finished, failure, sawRoot) = withoutActuallyEscaping(begin) { begin in
            withoutActuallyEscaping(body) { body in
                let reader = EntryReader(path: path, parser: parser, begin: begin, body: body)
                reader.rootStarted = { stream.isPastProlog = true }
                parser.delegate = reader
                defer { parser.delegate = nil }
                let finished = parser.parse()
                let failure =
                    reader.failure ?? stream.failure
                    ?? (finished && reader.sawRoot && !reader.closedRoot
                        ? ImportError.invalid(
                            file: path, line: max(parser.lineNumber, 1), field: "",
                            reason: "the file ends before </CONSOLIDATED_LIST>: cut off?") : nil)
                return (finished, failure, reader.sawRoot)
            }
        }
        if let failure { throw failure }
        guard finished else {
            let reason = parser.parserError.map { Self.describe($0) } ?? "malformed XML"
            throw ImportError.invalid(file: path, line: max(parser.lineNumber, 1), field: "", reason: reason)
        }
        guard sawRoot else {
            throw ImportError.invalid(file: path, line: 1, field: "", reason: "not XML: no root element")
        }
        try input.finish()
    }

    static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        if let description = nsError.userInfo[NSLocalizedDescriptionKey] as? String, !description.isEmpty {
            return "malformed XML: \(description.trimmingWhitespace())"
        }
        return "malformed XML (libxml2 error \(nsError.code))"
    }
}

/// The bytes of a `SnapshotInput`, as the stream `XMLParser` pulls them from (each read is
/// hashed by the input). A failed read ends the stream and is kept for the caller.
///
/// The prolog, before the root element, is read for entity declarations: an official list
/// declares none, and a declared entity would change what the file says without a trace
/// (the parser replaces each reference as it reads).
private final class SnapshotStream: InputStream {
    let input: SnapshotInput
    private(set) var failure: ImportError?
    /// Whether the root element has begun: the prolog is over.
    var isPastProlog = false
    /// The prolog's last bytes, so that a declaration split between two reads is seen.
    private var tail: [UInt8] = []
    private static let declaration = Array("<!ENTITY".utf8)

    init(_ input: SnapshotInput) {
        self.input = input
        super.init(data: Data())
    }

    override func open() {}
    override func close() {}
    override var hasBytesAvailable: Bool { failure == nil }
    override var streamStatus: Stream.Status { failure == nil ? .open : .error }
    override var streamError: (any Error)? {
        failure.map { NSError(domain: "LedgerImport", code: 1, userInfo: [NSLocalizedDescriptionKey: "\($0)"]) }
    }

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength count: Int) -> Int {
        guard failure == nil else { return -1 }
        do {
            let read = try input.read(into: buffer, count: count)
            if !isPastProlog && read > 0 {
                let window = tail + UnsafeBufferPointer(start: buffer, count: read)
                if window.firstRange(of: Self.declaration) != nil {
                    failure = .invalid(
                        file: input.path, line: 0, field: "DOCTYPE",
                        reason: "the document type declares entities (<!ENTITY …>): an official list declares none")
                    return -1
                }
                tail = Array(window.suffix(Self.declaration.count - 1))
            }
            return read
        } catch {
            failure = error
            return -1
        }
    }
}

/// The SAX delegate: gathers one entry's fields at a time and hands it over when it ends.
/// Only the text of the elements an entry uses is kept, and at most a little more than the
/// longest value an event may hold, so memory stays flat whatever the file carries (a
/// 150 MB comment). Used by one parse on one thread only.
private final class EntryReader: NSObject, XMLParserDelegate {
    let path: String
    unowned let parser: XMLParser
    let begin: (Day) throws -> Void
    let body: (ListEntry) throws -> Void
    var failure: (any Error)?
    var sawRoot = false
    /// Called when the root element begins.
    var rootStarted: () -> Void = {}
    /// Whether `</CONSOLIDATED_LIST>` was read: a file cut off mid-way ends without it.
    var closedRoot = false

    /// The open elements, outermost first.
    private var elements: [String] = []
    /// The depth of the entry's element while one is read.
    private var entryDepth = 0
    /// The text of the element being read, when it is one an entry uses.
    private var text = ""
    private var keepsText = false
    private var entry: ListEntry?
    private var names = ["", "", "", ""]
    private var listType: String?
    private var reference: String?
    private var listedOn: (text: String, line: Int)?
    /// The alias or document being read: its quality or type, and its name or number.
    private var alias: (quality: String, name: String) = ("", "")
    private var document: (type: String, number: String) = ("", "")

    /// The elements whose text an entry uses.
    private static let kept: Set<String> = [
        "FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME", "UN_LIST_TYPE", "REFERENCE_NUMBER", "LISTED_ON",
        "ALIAS_NAME", "QUALITY", "NUMBER", "TYPE_OF_DOCUMENT", "NAME_ORIGINAL_SCRIPT",
    ]
    /// How much of an element's text is kept: past the longest string an event holds, the
    /// rest is only counted, so that the cut is noticed and reported.
    private static let textLimit = JSONLimits.ledger.maxStringBytes + 4

    init(
        path: String, parser: XMLParser, begin: @escaping (Day) throws -> Void,
        body: @escaping (ListEntry) throws -> Void
    ) {
        self.path = path
        self.parser = parser
        self.begin = begin
        self.body = body
    }

    private func fail(_ reason: String, field: String = "", line: Int? = nil) {
        guard failure == nil else { return }
        failure = ImportError.invalid(file: path, line: line ?? parser.lineNumber, field: field, reason: reason)
        parser.abortParsing()
    }

    // An official list declares no entities: a document type that does would change what the
    // file says without a trace (its references are replaced as it is read).
    func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
        fail("the document type declares the entity \(name): an official list declares none", field: "DOCTYPE")
    }

    func parser(
        _ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?
    ) {
        fail("the document type declares the external entity \(name): an official list declares none", field: "DOCTYPE")
    }

    func parser(
        _ parser: XMLParser, foundUnparsedEntityDeclarationWithName name: String, publicID: String?,
        systemID: String?, notationName: String?
    ) {
        fail("the document type declares the entity \(name): an official list declares none", field: "DOCTYPE")
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        guard failure == nil else { return }
        if !sawRoot {
            sawRoot = true
            rootStarted()
            guard elementName == "CONSOLIDATED_LIST" else {
                return fail("not a UN consolidated list: the root element is <\(elementName)>, not <CONSOLIDATED_LIST>")
            }
            let generated = attributes["dateGenerated"] ?? ""
            guard let day = Day(String(generated.trimmingWhitespace().prefix(10))) else {
                return fail(
                    generated.isEmpty
                        ? "<CONSOLIDATED_LIST> has no dateGenerated" : "dateGenerated \"\(generated)\" is not a date",
                    field: "dateGenerated")
            }
            do { try begin(day) } catch { failure = error; parser.abortParsing() }
        }
        // An entry is an INDIVIDUAL or an ENTITY wherever it stands (in INDIVIDUALS or
        // ENTITIES, as the UN writes them, or in any other container), never inside another.
        if entry == nil && !elements.isEmpty && (elementName == "INDIVIDUAL" || elementName == "ENTITY") {
            entry = ListEntry(
                list: "", slug: "", entity: "", entityType: elementName == "INDIVIDUAL" ? .individual : .organization,
                aliases: [], identifiers: [], program: nil, listedOn: nil, line: parser.lineNumber, file: path)
            entryDepth = elements.count + 1
            names = ["", "", "", ""]
            listType = nil
            reference = nil
            listedOn = nil
        }
        switch elementName {
        case "INDIVIDUAL_ALIAS", "ENTITY_ALIAS": alias = ("", "")
        case "INDIVIDUAL_DOCUMENT": document = ("", "")
        default: break
        }
        elements.append(elementName)
        text = ""
        keepsText = entry != nil && Self.kept.contains(elementName)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard keepsText, text.utf8.count < Self.textLimit else { return }
        text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard keepsText, text.utf8.count < Self.textLimit else { return }
        text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
    ) {
        guard failure == nil else { return }
        let value = keepsText ? text.trimmingWhitespace() : ""
        text = ""
        keepsText = false
        defer { elements.removeLast() }
        if elements.count == 1 { closedRoot = true }
        guard entry != nil else { return }
        if elements.count == entryDepth {
            finishEntry()
            return
        }
        let parent = elements.count >= 2 ? elements[elements.count - 2] : ""
        let isEntryField = elements.count == entryDepth + 1
        switch (parent, elementName) {
        case (_, "FIRST_NAME") where isEntryField: names[0] = value
        case (_, "SECOND_NAME") where isEntryField: names[1] = value
        case (_, "THIRD_NAME") where isEntryField: names[2] = value
        case (_, "FOURTH_NAME") where isEntryField: names[3] = value
        case (_, "UN_LIST_TYPE") where isEntryField: listType = value
        case (_, "REFERENCE_NUMBER") where isEntryField: reference = value
        case (_, "LISTED_ON") where isEntryField: listedOn = (value, parser.lineNumber)
        case (_, "NAME_ORIGINAL_SCRIPT") where isEntryField:
            entry?.addOriginalScriptName(value, field: "NAME_ORIGINAL_SCRIPT")
        case ("INDIVIDUAL_ALIAS", "ALIAS_NAME"), ("ENTITY_ALIAS", "ALIAS_NAME"): alias.name = value
        case ("INDIVIDUAL_ALIAS", "QUALITY"), ("ENTITY_ALIAS", "QUALITY"): alias.quality = value
        case (_, "INDIVIDUAL_ALIAS") where isEntryField, (_, "ENTITY_ALIAS") where isEntryField:
            // The UN marks an alias of low quality `Low`: a weak alias, a lead, never an alert.
            if alias.quality.lowercased() == "low" {
                entry?.addWeakAlias(alias.name, field: "ALIAS_NAME")
            } else {
                entry?.addAlias(alias.name, field: "ALIAS_NAME")
            }
        case ("INDIVIDUAL_DOCUMENT", "NUMBER"): document.number = value
        case ("INDIVIDUAL_DOCUMENT", "TYPE_OF_DOCUMENT"): document.type = value
        case (_, "INDIVIDUAL_DOCUMENT") where isEntryField:
            guard !document.number.isEmpty else { break }
            entry?.addIdentifier(
                Identifier(kind: Self.kind(ofDocument: document.type), value: document.number),
                field: "INDIVIDUAL_DOCUMENT.NUMBER")
        default: break
        }
    }

    /// The identifier kind a UN document's `TYPE_OF_DOCUMENT` names (in English, French or
    /// Spanish, its white space folded): a passport or a national identification number;
    /// `other` for anything else.
    static func kind(ofDocument type: String) -> IdentifierKind {
        let words = type.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        if words.contains("passport") || words.contains("passeport") || words.contains("pasaporte") {
            return .passport
        }
        if words.hasPrefix("national identification") || words.contains("national identity")
            || words.contains("national id")
        {
            return .nationalID
        }
        return .other
    }

    private func finishEntry() {
        guard var entry else { return }
        self.entry = nil
        // What cannot make a designation skips the entry, with a warning: never the list.
        func skip(_ field: String, _ what: String) {
            entry.repair(field, what + ": entry skipped")
            entry.isSkipped = true
            deliver(entry)
        }
        guard let reference, !reference.isEmpty else {
            return skip("REFERENCE_NUMBER", "an entry without a REFERENCE_NUMBER")
        }
        entry.slug = ListEntry.slug(prefix: "un-", key: reference)
        guard let listType, !listType.isEmpty else {
            return skip("UN_LIST_TYPE", "entry \(reference) has no UN_LIST_TYPE")
        }
        entry.list = "UN-" + listType.uppercased()
        entry.program = entry.limited(listType, field: "UN_LIST_TYPE")
        entry.entity = entry.name(names.filter { !$0.isEmpty }.joined(separator: " "), field: "FIRST_NAME")
        guard !entry.entity.isEmpty else {
            return skip("FIRST_NAME", "entry \(reference) has no name (FIRST_NAME … FOURTH_NAME)")
        }
        if let listedOn, !listedOn.text.isEmpty {
            if let day = Self.day(ofDate: listedOn.text) {
                entry.listedOn = day
            } else {
                entry.repair(
                    "LISTED_ON", "\"\(listedOn.text)\" is not a date: left out (the snapshot date stands for it)",
                    line: listedOn.line)
            }
        }
        deliver(entry)
    }

    private func deliver(_ entry: ListEntry) {
        do { try body(entry) } catch { failure = error; parser.abortParsing() }
    }

    /// The day of an `xs:date` (`2015-04-07`, with a time zone `Z`, `+hh:mm` or `-hh:mm`, as
    /// the UN writes ten of them) or of an `xs:dateTime`: that day as written.
    static func day(ofDate text: String) -> Day? {
        guard let day = Day(String(text.prefix(10))) else { return nil }
        let rest = Array(text.utf8.dropFirst(10))
        if rest.isEmpty || rest == [UInt8(ascii: "Z")] || rest.first == UInt8(ascii: "T") { return day }
        let isDigit = { (byte: UInt8) in (0x30...0x39).contains(byte) }
        if rest.count == 6, rest[0] == UInt8(ascii: "+") || rest[0] == UInt8(ascii: "-"), isDigit(rest[1]),
            isDigit(rest[2]), rest[3] == UInt8(ascii: ":"), isDigit(rest[4]), isDigit(rest[5])
        {
            return day
        }
        return nil
    }
}
