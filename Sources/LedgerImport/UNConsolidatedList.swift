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
    /// read, then `body` with each entry in document order. A malformed file, or one that is
    /// not a consolidated list, throws naming its line.
    public func read(begin: (Day) throws -> Void, _ body: (ListEntry) throws -> Void) throws {
        // Opened once to name a missing or unreadable file as the other formats do.
        try FileHandle.forImport(path).close()
        guard let stream = InputStream(fileAtPath: path) else {
            throw ImportError.unreadable(path: path, reason: "cannot be opened")
        }
        let parser = XMLParser(stream: stream)
        parser.shouldResolveExternalEntities = false
        // The delegate holds the closures only while `parse` runs.
        let (finished, failure, sawRoot) = withoutActuallyEscaping(begin) { begin in
            withoutActuallyEscaping(body) { body in
                let reader = EntryReader(path: path, parser: parser, begin: begin, body: body)
                parser.delegate = reader
                defer { parser.delegate = nil }
                let finished = parser.parse()
                let failure =
                    reader.failure
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
    }

    static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        if let description = nsError.userInfo[NSLocalizedDescriptionKey] as? String, !description.isEmpty {
            return "malformed XML: \(description.trimmingWhitespace())"
        }
        return "malformed XML (libxml2 error \(nsError.code))"
    }
}

/// The SAX delegate: gathers one entry's fields at a time and hands it over when it ends.
/// Used by one parse on one thread only.
private final class EntryReader: NSObject, XMLParserDelegate {
    let path: String
    unowned let parser: XMLParser
    let begin: (Day) throws -> Void
    let body: (ListEntry) throws -> Void
    var failure: (any Error)?
    var sawRoot = false
    /// Whether `</CONSOLIDATED_LIST>` was read: a file cut off mid-way ends without it.
    var closedRoot = false

    /// The open elements, outermost first.
    private var elements: [String] = []
    private var text = ""
    private var entry: ListEntry?
    private var names = ["", "", "", ""]
    private var listType: String?
    private var reference: String?
    private var listedOn: (text: String, line: Int)?

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

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        guard failure == nil else { return }
        if !sawRoot {
            sawRoot = true
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
        if elements.count == 2 && (elementName == "INDIVIDUAL" || elementName == "ENTITY") {
            entry = ListEntry(
                list: "", slug: "", entity: "", entityType: elementName == "INDIVIDUAL" ? .individual : .organization,
                aliases: [], identifiers: [], program: nil, listedOn: nil, line: parser.lineNumber)
            names = ["", "", "", ""]
            listType = nil
            reference = nil
            listedOn = nil
        }
        elements.append(elementName)
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
    ) {
        guard failure == nil else { return }
        let value = text.trimmingWhitespace()
        text = ""
        defer { elements.removeLast() }
        if elements.count == 1 { closedRoot = true }
        guard entry != nil else { return }
        let parent = elements.count >= 2 ? elements[elements.count - 2] : ""
        switch (parent, elementName) {
        case ("INDIVIDUAL", "FIRST_NAME"), ("ENTITY", "FIRST_NAME"): names[0] = value
        case ("INDIVIDUAL", "SECOND_NAME"), ("ENTITY", "SECOND_NAME"): names[1] = value
        case ("INDIVIDUAL", "THIRD_NAME"), ("ENTITY", "THIRD_NAME"): names[2] = value
        case ("INDIVIDUAL", "FOURTH_NAME"), ("ENTITY", "FOURTH_NAME"): names[3] = value
        case ("INDIVIDUAL", "UN_LIST_TYPE"), ("ENTITY", "UN_LIST_TYPE"): listType = value
        case ("INDIVIDUAL", "REFERENCE_NUMBER"), ("ENTITY", "REFERENCE_NUMBER"): reference = value
        case ("INDIVIDUAL", "LISTED_ON"), ("ENTITY", "LISTED_ON"): listedOn = (value, parser.lineNumber)
        case ("INDIVIDUAL_ALIAS", "ALIAS_NAME"), ("ENTITY_ALIAS", "ALIAS_NAME"): entry?.addAlias(value)
        case ("INDIVIDUAL_DOCUMENT", "NUMBER"): entry?.addIdentifier(Identifier(kind: .other, value: value))
        case (_, "INDIVIDUAL"), (_, "ENTITY"):
            if elements.count == 3 { finishEntry() }
        default: break
        }
    }

    private func finishEntry() {
        guard var entry else { return }
        self.entry = nil
        guard let reference, !reference.isEmpty else {
            return fail("an entry without a REFERENCE_NUMBER", field: "REFERENCE_NUMBER", line: entry.line)
        }
        guard let listType, !listType.isEmpty else {
            return fail("entry \(reference) has no UN_LIST_TYPE", field: "UN_LIST_TYPE", line: entry.line)
        }
        entry.entity = names.filter { !$0.isEmpty }.joined(separator: " ")
        guard !entry.entity.isEmpty else {
            return fail(
                "entry \(reference) has no name (FIRST_NAME … FOURTH_NAME)", field: "FIRST_NAME", line: entry.line)
        }
        if let listedOn, !listedOn.text.isEmpty {
            guard let day = Day(String(listedOn.text.prefix(10))),
                listedOn.text.count == 10 || listedOn.text.dropFirst(10).first == "T"
            else {
                return fail(
                    "LISTED_ON \"\(listedOn.text)\" is not a date (YYYY-MM-DD)", field: "LISTED_ON", line: listedOn.line
                )
            }
            entry.listedOn = day
        }
        entry.list = "UN-" + listType.uppercased()
        entry.program = listType
        entry.slug = ListEntry.slug(prefix: "un-", key: reference)
        do { try body(entry) } catch { failure = error; parser.abortParsing() }
    }
}
