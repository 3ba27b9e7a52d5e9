import Foundation

/// What screening does to a name before the section 5 folding, so that evasion by writing
/// does not dodge it (contract section 11): invisible characters and bidirectional controls
/// out (a right-to-left override's run read as it is displayed), compatibility forms folded
/// (NFKC), look-alike letters mixed into Latin words mapped to Latin (Unicode TR39), and
/// words in other scripts transliterated to Latin.
enum ScriptFolding {
    /// `text` written in Latin letters, ready for the section 5 folding.
    static func fold(_ text: String) -> String {
        let visible = readAsDisplayed(text)
        let compatible = visible.precomposedStringWithCompatibilityMapping
        // A name with Latin letters in it is a Latin name: its other letters that look
        // Latin are a spoof, even a whole word of them ("CНОЕ RYОNG НАЕ").
        let isLatinName = compatible.unicodeScalars.contains { script(of: $0) == .latin }
        var words: [String] = []
        var word = ""
        for character in compatible {
            if character.isWhitespace {
                if !word.isEmpty { words.append(foldWord(word, inLatinName: isLatinName)) }
                word = ""
            } else {
                word.append(character)
            }
        }
        if !word.isEmpty { words.append(foldWord(word, inLatinName: isLatinName)) }
        return words.joined(separator: " ")
    }

    /// The text without invisible characters, each right-to-left override's run (up to its
    /// pop or the end) reversed, as a reader sees it.
    static func readAsDisplayed(_ text: String) -> String {
        var result = ""
        var reversedRun: [Character]?
        for character in text {
            let scalars = character.unicodeScalars
            if scalars.first == "\u{202E}" {
                if let run = reversedRun { result.append(contentsOf: run.reversed()) }
                reversedRun = []
                continue
            }
            if scalars.first == "\u{202C}" || scalars.first == "\u{2069}" {
                if let run = reversedRun { result.append(contentsOf: run.reversed()) }
                reversedRun = nil
                continue
            }
            let kept = String(
                String.UnicodeScalarView(scalars.filter { $0.properties.isWhitespace || !isInvisible($0) }))
            guard !kept.isEmpty else { continue }
            if reversedRun != nil {
                reversedRun!.append(contentsOf: kept)
            } else {
                result += kept
            }
        }
        if let run = reversedRun { result.append(contentsOf: run.reversed()) }
        return result
    }

    /// Characters that change nothing a reader sees: format characters (zero-width spaces and
    /// joiners, soft hyphens, bidirectional controls, byte order marks), controls, variation
    /// selectors, combining grapheme joiner, Hangul fillers.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default:
            return (0xFE00...0xFE0F).contains(scalar.value) || (0xE0100...0xE01EF).contains(scalar.value)
                || scalar.value == 0x034F || scalar.value == 0x115F || scalar.value == 0x1160
                || scalar.value == 0x3164 || scalar.value == 0xFFA0
        }
    }

    private enum Script { case latin, cyrillic, greek, hangul, other, none }

    private static func script(of scalar: Unicode.Scalar) -> Script {
        guard scalar.properties.isAlphabetic else { return .none }
        switch scalar.value {
        case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F, 0x1D00...0x1D7F, 0x1E00...0x1EFF, 0x2C60...0x2C7F, 0xA720...0xA7FF:
            return .latin
        case 0x400...0x52F, 0x1C80...0x1C8F, 0x2DE0...0x2DFF, 0xA640...0xA69F: return .cyrillic
        case 0x370...0x3FF, 0x1F00...0x1FFF: return .greek
        case 0xAC00...0xD7A3, 0x1100...0x11FF, 0x3130...0x318F: return .hangul
        default: return .other
        }
    }

    /// One word: look-alikes mapped when it mixes Latin with other letters (or is all
    /// look-alikes of Latin small capitals and the like), else transliterated when it is in
    /// another script.
    private static func foldWord(_ word: String, inLatinName: Bool) -> String {
        var scripts = Set<Script>()
        for scalar in word.unicodeScalars { scripts.insert(script(of: scalar)) }
        scripts.remove(.none)
        if scripts.isEmpty || scripts == [.latin] {
            return mapConfusables(word)  // small capitals, dotless i and the like are Latin too
        }
        if scripts.contains(.latin) || inLatinName {
            // Mixed: a spoof of a Latin word. Map the look-alikes; transliterate what is left.
            return transliterate(mapConfusables(word))
        }
        // A Korean organisation's name, read as its English name is written.
        if scripts == [.hangul], let english = KoreanNames.read(word) { return english }
        // A common Arabic name with its vowels, which the script does not write (ICU would
        // give `mhmd` for محمد).
        if let latin = arabicNames[word] { return latin }
        if word.hasPrefix("ال"), word.count > 3, let latin = arabicNames[String(word.dropFirst(2))] {
            return "al " + latin
        }
        return transliterate(word)
    }

    /// Common Arabic given names and name words, as Latin lists write them.
    static let arabicNames: [String: String] = [
        "محمد": "muhammad", "علي": "ali", "أحمد": "ahmad", "احمد": "ahmad", "عبد": "abd", "الله": "allah",
        "عبدالله": "abdallah", "عبد الله": "abdallah", "حسن": "hasan", "حسين": "husayn", "عمر": "umar",
        "يوسف": "yusuf", "إبراهيم": "ibrahim", "ابراهيم": "ibrahim", "خالد": "khalid", "مصطفى": "mustafa",
        "محمود": "mahmud", "سعيد": "said", "عثمان": "uthman", "سليمان": "sulayman", "إسماعيل": "ismail",
        "اسماعيل": "ismail", "حمزة": "hamza", "جعفر": "jafar", "عباس": "abbas", "عيسى": "isa", "موسى": "musa",
        "صالح": "salih", "ناصر": "nasir", "رشيد": "rashid", "قاسم": "qasim", "طارق": "tariq", "يحيى": "yahya",
        "زكريا": "zakariya", "فيصل": "faysal", "سيف": "sayf", "ياسين": "yasin", "منصور": "mansur", "كريم": "karim",
        "عزيز": "aziz", "الرحمن": "al rahman", "شريف": "sharif", "أبو": "abu", "ابو": "abu", "بن": "bin",
        "ابن": "ibn", "أسامة": "usama", "اسامة": "usama", "أيمن": "ayman", "وليد": "walid", "ماجد": "majid",
        "حيدر": "haydar", "محسن": "muhsin", "مهدي": "mahdi", "جواد": "jawad", "نور": "nur", "الدين": "al din",
        "يونس": "yunus", "إدريس": "idris", "ادريس": "idris", "أنور": "anwar", "بشير": "bashir", "سالم": "salim",
        "جمال": "jamal", "حامد": "hamid", "عادل": "adil", "فاضل": "fadil", "كمال": "kamal", "نبيل": "nabil",
        "هاشم": "hashim", "زيد": "zayd", "زين": "zayn", "عمار": "ammar", "أمين": "amin", "امين": "amin",
    ]

    /// TR39 confusables of Latin letters (the common ones: Cyrillic, Greek, small capitals,
    /// Latin letters that read as others), mapped to the Latin letter they imitate.
    static func mapConfusables(_ word: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in word.unicodeScalars {
            if let latin = confusables[scalar] {
                result.append(contentsOf: latin.unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    private static let confusables: [Unicode.Scalar: String] = {
        let pairs: [(String, String)] = [
            // Cyrillic
            ("А", "A"), ("В", "B"), ("Е", "E"), ("К", "K"), ("М", "M"), ("Н", "H"), ("О", "O"), ("Р", "P"),
            ("С", "C"), ("Т", "T"), ("У", "Y"), ("Х", "X"), ("Ѕ", "S"), ("І", "I"), ("Ј", "J"), ("Ԛ", "Q"),
            ("Ԝ", "W"), ("Ү", "Y"), ("Һ", "H"), ("Ӏ", "I"), ("а", "a"), ("в", "b"), ("е", "e"), ("к", "k"),
            ("м", "m"), ("н", "h"), ("о", "o"), ("р", "p"), ("с", "c"), ("т", "t"), ("у", "y"), ("х", "x"),
            ("ѕ", "s"), ("і", "i"), ("ј", "j"), ("ԛ", "q"), ("ԝ", "w"), ("ү", "y"), ("һ", "h"), ("ӏ", "l"),
            ("ԁ", "d"), ("ɡ", "g"), ("ь", "b"), ("Ь", "b"), ("з", "3"), ("п", "n"),
            // Greek
            ("Α", "A"), ("Β", "B"), ("Ε", "E"), ("Ζ", "Z"), ("Η", "H"), ("Ι", "I"), ("Κ", "K"), ("Μ", "M"),
            ("Ν", "N"), ("Ο", "O"), ("Ρ", "P"), ("Τ", "T"), ("Υ", "Y"), ("Χ", "X"), ("ο", "o"), ("ι", "i"),
            ("κ", "k"), ("ν", "v"), ("ρ", "p"), ("τ", "t"), ("υ", "u"), ("χ", "x"), ("α", "a"), ("ϲ", "c"),
            ("ϳ", "j"), ("ε", "e"), ("η", "n"),
            // Latin small capitals and other look-alikes NFKC leaves
            ("ᴀ", "a"), ("ʙ", "b"), ("ᴄ", "c"), ("ᴅ", "d"), ("ᴇ", "e"), ("ꜰ", "f"), ("ɢ", "g"), ("ʜ", "h"),
            ("ɪ", "i"), ("ᴊ", "j"), ("ᴋ", "k"), ("ʟ", "l"), ("ᴍ", "m"), ("ɴ", "n"), ("ᴏ", "o"), ("ᴘ", "p"),
            ("ǫ", "q"), ("ʀ", "r"), ("ꜱ", "s"), ("ᴛ", "t"), ("ᴜ", "u"), ("ᴠ", "v"), ("ᴡ", "w"), ("ʏ", "y"),
            ("ᴢ", "z"), ("ı", "i"), ("ȷ", "j"), ("ℓ", "l"), ("ꓲ", "I"),
        ]
        var table: [Unicode.Scalar: String] = [:]
        for (from, to) in pairs { table[from.unicodeScalars.first!] = to }
        return table
    }()

    /// Cyrillic as an English-speaking analyst reads it (ICU's ISO 9 writes `č`, `š`, `ž`).
    private static let cyrillic: [Character: String] = [
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
        "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
        "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
        "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u", "ј": "j",
    ]

    /// Transliterations made so far (ICU's are the costly part); one process screens many names.
    nonisolated(unsafe) private static var cache: [String: String] = [:]
    private static let cacheLock = NSLock()

    /// Another script written in Latin letters: Cyrillic by the table above, Hangul syllable
    /// by syllable (so that a name's syllables stay apart, as romanised names write them),
    /// everything else by ICU's `Any-Latin`, diacritics dropped.
    static func transliterate(_ word: String) -> String {
        cacheLock.lock()
        if let known = cache[word] {
            cacheLock.unlock()
            return known
        }
        cacheLock.unlock()
        var result = ""
        var other = ""
        func flushOther() {
            guard !other.isEmpty else { return }
            let latin = other.applyingTransform(.toLatin, reverse: false) ?? other
            result += latin.applyingTransform(.stripDiacritics, reverse: false) ?? latin
            other = ""
        }
        for character in word {
            let lower = Character(character.lowercased())
            if let latin = cyrillic[lower] {
                flushOther()
                result += latin
            } else if let scalar = character.unicodeScalars.first, (0xAC00...0xD7A3).contains(scalar.value) {
                flushOther()
                let syllable = String(character).applyingTransform(.toLatin, reverse: false) ?? ""
                if !result.isEmpty && result.last != " " { result += " " }
                result += syllable + " "
            } else {
                other.append(character)
            }
        }
        flushOther()
        // Russian writes the English j as дж.
        let folded = result.replacingAll("dzh", with: "j").trimmingWhitespace()
        cacheLock.lock()
        if cache.count < 100_000 { cache[word] = folded }
        cacheLock.unlock()
        return folded
    }
}
