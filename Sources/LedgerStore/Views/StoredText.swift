import LedgerDomain

/// Free text taken from events (a designation's names, a figure's publisher), as a view's
/// column holds it on either engine: as it is, unless it holds U+0000, which PostgreSQL's
/// `text` cannot hold, or begins with the mark; then the mark and the text as a JSON string.
/// Reversible, and the same bytes on both engines, so views digest alike and every value
/// reads back as it was.
enum StoredText {
    /// A noncharacter that no list or report writes at the start of a name.
    static let mark = "\u{10FFFF}"

    /// `text` as a column holds it.
    static func encode(_ text: String) -> String {
        guard text.utf8.contains(0) || text.hasPrefix(mark) else { return text }
        return mark + String(decoding: CanonicalJSON.bytes(of: .string(text)), as: UTF8.self)
    }

    /// The text a column's `stored` value stands for.
    static func decode(_ stored: String) -> String {
        guard stored.hasPrefix(mark) else { return stored }
        let json = Array(stored.utf8.dropFirst(mark.utf8.count))
        guard
            case .string(let text)? = try? StrictJSONReader(limits: JSONLimits(maxDepth: 1, maxStringBytes: .max))
                .read(json)
        else { return stored }
        return text
    }
}
