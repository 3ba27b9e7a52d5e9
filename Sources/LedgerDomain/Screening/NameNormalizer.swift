import Foundation

/// How names are compared when screening: invisible characters removed, compatibility forms
/// folded, look-alikes mapped and other scripts transliterated (`ScriptFolding`, contract
/// section 11); then Unicode case folding, diacritics removed, punctuation removed, white
/// space collapsed (section 5); and single letters written apart joined again
/// (`L a z a r u s` and `L.a.z.a.r.u.s` are `lazarus`).
public enum NameNormalizer {
    /// Letters that carry no decomposable diacritic but are read as plain Latin letters.
    private static let transliterations: [Character: String] = [
        "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h",
    ]

    /// The normalised form: `"  Lazarus-Group, (Hidden Cobra) "` → `"lazarus group hidden cobra"`.
    public static func normalize(_ text: String) -> String {
        joiningSingleLetters(normalizeASCII(text) ?? normalizeUnicode(text))
    }

    /// Runs of three or more one-character words joined into one word: letters written apart
    /// to dodge a match. Two (`kim u`) are left alone.
    static func joiningSingleLetters(_ normalized: String) -> String {
        let words = tokens(normalized)
        guard words.count >= 3, words.contains(where: \.isOneCharacter) else { return normalized }
        var result: [String] = []
        var run: [Substring] = []
        func flush() {
            if run.count >= 3 {
                result.append(run.joined())
            } else {
                result.append(contentsOf: run.map(String.init))
            }
            run.removeAll()
        }
        for word in words {
            if word.isOneCharacter {
                run.append(word)
            } else {
                flush()
                result.append(String(word))
            }
        }
        flush()
        return result.joined(separator: " ")
    }

    /// The general form of `normalize`, for any text.
    static func normalizeUnicode(_ text: String) -> String {
        let folded = ScriptFolding.fold(text).folding(
            options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var result = ""
        var pendingSpace = false
        for character in folded {
            if let replacement = transliterations[character] {
                if pendingSpace && !result.isEmpty { result.append(" ") }
                pendingSpace = false
                result += replacement
                continue
            }
            for scalar in character.unicodeScalars {
                let properties = scalar.properties
                if properties.isWhitespace {
                    pendingSpace = true
                    continue
                }
                switch properties.generalCategory {
                case .nonspacingMark, .spacingMark, .enclosingMark, .format, .control:
                    continue  // leftover marks and invisible characters
                default:
                    break
                }
                // Apostrophes join ("O'Brien" → "obrien"); other punctuation and symbols separate.
                if scalar == "'" || scalar == "’" || scalar == "ʼ" || scalar == "`" || scalar == "‘" { continue }
                if isPunctuationOrSymbol(properties.generalCategory) {
                    pendingSpace = true
                    continue
                }
                if pendingSpace && !result.isEmpty { result.append(" ") }
                pendingSpace = false
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// The same normalised form for a name of ASCII characters only, by bytes: folding does
    /// nothing to ASCII but lower its case, white space and controls (9–13, 32) separate, other
    /// controls vanish, apostrophes and backquotes join, all other punctuation and symbols
    /// separate, letters and digits stay. Nil when `text` has a non-ASCII byte.
    static func normalizeASCII(_ text: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            switch byte {
            case 0x80...:
                return nil
            case 9...13, 32:
                pendingSpace = true
            case 0...31, 127, UInt8(ascii: "'"), UInt8(ascii: "`"):
                continue
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "A")...UInt8(ascii: "Z"):
                if pendingSpace && !bytes.isEmpty { bytes.append(32) }
                pendingSpace = false
                bytes.append(byte | (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? 0x20 : 0))
            default:
                pendingSpace = true
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isPunctuationOrSymbol(_ category: Unicode.GeneralCategory) -> Bool {
        switch category {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            true
        default:
            false
        }
    }

    /// The words of a normalised name.
    public static func tokens(_ normalized: String) -> [Substring] {
        // ASCII (most names) split by bytes: the same words, without reading characters.
        if normalized.utf8.allSatisfy({ $0 < 0x80 }) {
            return normalized.utf8.split(separator: 0x20).map { Substring($0) }
        }
        return normalized.split(separator: " ")
    }

    /// The words of a normalised name in sorted order, joined by one space: the form that
    /// finds "Lazarus Group" from "Group Lazarus".
    public static func sortedTokens(_ normalized: String) -> String {
        var text = normalized
        if let sorted = text.withUTF8({ sortedASCIITokens($0) }) { return sorted }
        return tokens(normalized).sorted().joined(separator: " ")
    }

    /// `sortedTokens` of an ASCII name, by bytes (byte order is string order for ASCII);
    /// nil for any other name.
    private static func sortedASCIITokens(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let space = UInt8(ascii: " ")
        var words: [Range<Int>] = []
        var start: Int?
        for (index, byte) in bytes.enumerated() {
            guard byte < 0x80 else { return nil }
            if byte == space {
                if let first = start { words.append(first..<index) }
                start = nil
            } else if start == nil {
                start = index
            }
        }
        if let first = start { words.append(first..<bytes.count) }
        if words.count == 1 && words[0].count == bytes.count {
            return String(decoding: bytes, as: UTF8.self)
        }
        words.sort { bytes[$0].lexicographicallyPrecedes(bytes[$1]) }
        var sorted: [UInt8] = []
        sorted.reserveCapacity(bytes.count)
        for word in words {
            if !sorted.isEmpty { sorted.append(space) }
            sorted.append(contentsOf: bytes[word])
        }
        return String(decoding: sorted, as: UTF8.self)
    }

    /// Padded character trigrams of a normalised name, for finding candidates in an index:
    /// the three-character windows of each token written `"  " + token + " "`.
    /// The trigrams a name is indexed (and a query looked up) under: those of its normalised
    /// form and of its key form (each word replaced by its Korean romanisation key or written
    /// out abbreviation), so that `GIM JEONG EUN` and `KIM JONG UN` share trigrams.
    public static func indexTrigrams(_ normalized: String) -> Set<String> {
        var grams = Set<String>()
        forEachIndexTrigram(normalized) { grams.insert($0) }
        return grams
    }

    /// Calls `body` with each trigram of `indexTrigrams(normalized)` (repeats included).
    public static func forEachIndexTrigram(_ normalized: String, _ body: (String) throws -> Void) rethrows {
        try forEachTrigram(normalized, body)
        let keyForm = NameWords.keyForm(of: normalized)
        if keyForm != normalized { try forEachTrigram(keyForm, body) }
    }

    /// `indexTrigrams` of a name whose words are made already.
    static func indexTrigrams(_ normalized: String, words: NameWords) -> Set<String> {
        var grams = trigrams(normalized)
        let keyForm = NameWords.keyForm(of: normalized)
        if keyForm != normalized { forEachTrigram(keyForm) { grams.insert($0) } }
        return grams
    }

    public static func trigrams(_ normalized: String) -> Set<String> {
        var grams = Set<String>()
        forEachTrigram(normalized) { grams.insert($0) }
        return grams
    }

    /// Calls `body` with each trigram of `trigrams(_:)`, repeats included, in order.
    public static func forEachTrigram(_ normalized: String, _ body: (String) throws -> Void) rethrows {
        if normalized.utf8.allSatisfy({ $0 < 0x80 }) {
            try forEachASCIITrigram(normalized, body)
            return
        }
        for token in tokens(normalized) {
            var first: Character = " "
            var second: Character = " "
            func add(_ third: Character) throws {
                // Built in place: a trigram of a few bytes stays a small string, with no allocation.
                var gram = String()
                gram.append(first)
                gram.append(second)
                gram.append(third)
                try body(gram)
                first = second
                second = third
            }
            for character in token { try add(character) }
            try add(" ")
        }
    }

    /// `forEachTrigram` for a normalised name of ASCII bytes, by bytes: such a name holds
    /// letters, digits and single spaces, each byte one character.
    private static func forEachASCIITrigram(_ normalized: String, _ body: (String) throws -> Void) rethrows {
        let space = UInt8(ascii: " ")
        var first = space
        var second = space
        func add(_ third: UInt8) throws {
            // A string of three ASCII bytes is a small string: no allocation.
            try body(withUnsafeBytes(of: (first, second, third)) { String(decoding: $0, as: UTF8.self) })
            first = second
            second = third
        }
        var inToken = false
        for byte in normalized.utf8 {
            if byte == space {
                if inToken { try add(space) }
                inToken = false
                first = space
                second = space
            } else {
                inToken = true
                try add(byte)
            }
        }
        if inToken { try add(space) }
    }
}

extension Substring {
    /// Whether it is one character, found without counting them all (`count == 1`).
    var isOneCharacter: Bool {
        !isEmpty && index(after: startIndex) == endIndex
    }
}
