import Foundation

/// How names are compared when screening: Unicode case folding, diacritics removed,
/// punctuation removed, white space collapsed (contract section 5, `screen`).
public enum NameNormalizer {
    /// Letters that carry no decomposable diacritic but are read as plain Latin letters.
    private static let transliterations: [Character: String] = [
        "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h",
    ]

    /// The normalised form: `"  Lazarus-Group, (Hidden Cobra) "` → `"lazarus group hidden cobra"`.
    public static func normalize(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
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
        normalized.split(separator: " ")
    }

    /// Padded character trigrams of a normalised name, for finding candidates in an index.
    public static func trigrams(_ normalized: String) -> Set<String> {
        var grams = Set<String>()
        for token in tokens(normalized) {
            let characters = Array("  " + token + " ")
            guard characters.count >= 3 else { continue }
            for index in 0...(characters.count - 3) {
                grams.insert(String(characters[index..<(index + 3)]))
            }
        }
        return grams
    }
}
