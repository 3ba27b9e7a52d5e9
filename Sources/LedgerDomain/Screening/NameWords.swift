import Foundation

/// A normalised name as screening compares it word by word: each word with its weight, its
/// Korean romanisation key and its phonetic key, made once per name.
struct NameWords: Sendable, Equatable {
    struct Word: Sendable, Equatable {
        var text: String
        /// `text` with known abbreviations written out (`corp` → `corporation`).
        var expanded: String
        var korean: String
        var phonetic: String
        /// `expanded`'s scalars, for the edit distance and Jaro–Winkler.
        var scalars: [Unicode.Scalar]
        /// Generic words of company names weigh little.
        var weight: Double
        /// Whether a match of this word alone may make a name match (not generic, three
        /// letters or more, or a word of a Korean name).
        var canCarry: Bool
    }

    var words: [Word]
    /// The name with its spaces taken out.
    var compact: String

    init(_ normalized: String) {
        compact = String(normalized.filter { $0 != " " })
        words = NameNormalizer.tokens(normalized).flatMap { token in
            let text = String(token)
            return (Self.abbreviations[text] ?? text).split(separator: " ").map { part in
                let expanded = String(part)
                let isGeneric = Self.genericWords.contains(expanded)
                return Word(
                    text: text, expanded: expanded, korean: Self.koreanKey(expanded),
                    phonetic: Self.phoneticKey(expanded), scalars: Array(expanded.unicodeScalars),
                    weight: isGeneric ? 0.2 : 1,
                    canCarry: !isGeneric && (expanded.count >= 3 || Self.isKoreanSyllable(expanded)))
            }
        }
    }

    /// Whether some word of the name could carry a match (the name is not all generic words).
    var hasCarryingWord: Bool { words.contains(where: \.canCarry) }

    /// The name with each word replaced by its Korean key, else its written-out form.
    var keyForm: String {
        words.map { $0.korean.isEmpty ? $0.expanded : $0.korean }.joined(separator: " ")
    }

    /// `keyForm` of a normalised name, without making the rest of its words (what indexing
    /// needs of a name: it is never compared there).
    static func keyForm(of normalized: String) -> String {
        NameNormalizer.tokens(normalized).flatMap { token in
            (abbreviations[String(token)] ?? String(token)).split(separator: " ").map { part in
                let korean = koreanKey(String(part))
                return korean.isEmpty ? String(part) : korean
            }
        }.joined(separator: " ")
    }

    /// How alike two words are, in 0…1, and by which rule.
    static func similarity(_ a: Word, _ b: Word) -> (value: Double, rule: MatchRule) {
        if a.expanded == b.expanded { return (1, .token) }
        if !a.korean.isEmpty && a.korean == b.korean { return (0.95, .romanisation) }
        let shorter = min(a.scalars.count, b.scalars.count)
        if shorter >= 4 && a.phonetic == b.phonetic && !a.phonetic.isEmpty { return (0.9, .phonetic) }
        if shorter == 3 && a.scalars.count == 3 && b.scalars.count == 3
            && a.scalars.sorted(by: { $0.value < $1.value }) == b.scalars.sorted(by: { $0.value < $1.value })
            && editDistance(a.scalars, b.scalars) == 1
        {
            return (0.9, .fuzzy)  // two letters swapped in a short word: HAE, HEA
        }
        guard shorter >= 4 else { return (0, .token) }
        // A slip of typing: few edits for the length, and Jaro–Winkler agrees.
        let longer = max(a.scalars.count, b.scalars.count)
        let allowed = longer >= 8 ? 2 : 1
        guard longer - shorter <= allowed else { return (0, .token) }
        // Most pairs of words share few letters: counted first, cheaper than the distance.
        var common = 0
        for scalar in a.scalars where b.scalars.contains(scalar) { common += 1 }
        guard common + 2 * allowed >= longer else { return (0, .token) }
        let distance = editDistance(a.scalars, b.scalars)
        guard distance <= allowed else { return (0, .token) }
        let jaroWinkler = NameSimilarity.jaroWinkler(a.scalars, b.scalars)
        return jaroWinkler >= 0.85 ? (min(0.95, jaroWinkler), .fuzzy) : (0, .token)
    }

    /// Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions),
    /// its three rows on the stack.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let width = b.count + 1
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * width) { rows in
            var previous2 = 0
            var previous = width
            var current = 2 * width
            for j in 0...b.count { rows[previous + j] = j }
            for i in 1...a.count {
                rows[current] = i
                for j in 1...b.count {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    var value = min(rows[previous + j] + 1, rows[current + j - 1] + 1, rows[previous + j - 1] + cost)
                    if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                        value = min(value, rows[previous2 + j - 2] + 1)
                    }
                    rows[current + j] = value
                }
                (previous2, previous, current) = (previous, current, previous2)
            }
            return rows[previous + b.count]
        }
    }

    /// Words that name a kind of company or a country, not a company: two names sharing only
    /// them are not the same party.
    static let genericWords: Set<String> = [
        "corporation", "company", "limited", "incorporated", "group", "trading", "bank", "banking", "korea", "korean",
        "dprk", "democratic", "peoples", "people", "republic", "of", "the", "and", "international", "general",
        "commercial", "industrial", "industries", "industry", "development", "national", "office", "associated",
        "association", "enterprise", "enterprises", "holding", "holdings", "co", "ltd", "llc", "inc", "sa", "ag",
        "gmbh", "jsc", "plc", "credit", "insurance", "trade", "foreign", "overseas", "project", "projects",
        "companies", "technology", "technologies", "services", "service", "shipping", "import", "export",
        "investment", "joint", "venture", "center", "centre", "team", "federation", "committee", "bureau",
        "ministry", "department", "agency", "unit", "st", "north", "south", "new", "global", "world", "united",
        "partners", "capital", "finance", "financial", "solutions", "systems", "logistics", "marine", "maritime",
        "exchange", "mining", "energy", "construction",
    ]

    /// Abbreviations and foreign forms of company words, written out.
    static let abbreviations: [String: String] = [
        "corp": "corporation", "co": "company", "ltd": "limited", "inc": "incorporated", "intl": "international",
        "dev": "development", "devt": "development", "gen": "general", "natl": "national", "assn": "association",
        "assoc": "associated", "ind": "industrial", "mfg": "manufacturing", "tech": "technology", "grp": "group",
        "trdg": "trading", "svcs": "services", "grupp": "group", "gruppa": "group", "kompaniya": "company",
        "korporatsiya": "corporation", "bank": "bank", "banka": "bank", "koreya": "korea", "cos": "companies",
        "dprk": "democratic peoples republic of korea", "kp": "korea", "nk": "north korea",
    ]

    /// Whether `word` looks like one romanised Korean syllable (a word of a Korean name).
    static func isKoreanSyllable(_ word: String) -> Bool {
        !koreanKey(word).isEmpty && word.count <= 6
    }

    /// A key under which the romanisations of one Korean syllable meet: Revised, McCune–
    /// Reischauer and the common spellings of names (KIM/GIM, JONG/JEONG/CHONG/JUNG, UN/EUN,
    /// PAK/PARK/BAK, RI/LEE/YI/RHEE, CHOE/CHOI, RYONG/LYONG/YONG, SONG/SEONG/SUNG). Empty for a
    /// word that is not one syllable of that shape. By bytes: it runs for every word compared.
    static func koreanKey(_ word: String) -> String {
        var key: [UInt8]
        if let surname = surnames[word] {
            key = Array(surname.utf8)
        } else {
            guard word.utf8.count <= 6, let syllable = syllableKey(Array(word.utf8)) else { return "" }
            key = syllable
        }
        // A final ng written n (Russian usage: Чон for 정), k written g, p written b.
        if key.count >= 2 && key[key.count - 2] == UInt8(ascii: "n") && key[key.count - 1] == UInt8(ascii: "g") {
            key.removeLast()
        } else if key.count > 1 {
            switch key[key.count - 1] {
            case UInt8(ascii: "g"): key[key.count - 1] = UInt8(ascii: "k")
            case UInt8(ascii: "b"): key[key.count - 1] = UInt8(ascii: "p")
            case UInt8(ascii: "d"): key[key.count - 1] = UInt8(ascii: "t")
            default: break
            }
        }
        return String(decoding: key, as: UTF8.self)
    }

    private static let vowelSpellings: [([UInt8], [UInt8])] = [
        ("yeo", "yo"), ("eo", "o"), ("eu", "u"), ("oo", "u"), ("ee", "i"), ("ai", "ae"), ("oi", "oe"), ("ung", "ong"),
    ].map { (Array($0.0.utf8), Array($0.1.utf8)) }

    private static let initialSpellings: [([UInt8], [UInt8])] = [
        ("kk", "k"), ("gh", "k"), ("kh", "h"), ("g", "k"), ("tt", "t"), ("th", "t"), ("d", "t"), ("pp", "p"),
        ("ph", "p"), ("b", "p"), ("jj", "ch"), ("tch", "ch"), ("chh", "ch"), ("j", "ch"), ("ss", "s"),
        ("sh", "s"), ("rh", "r"), ("l", "r"), ("v", "w"),
    ].map { (Array($0.0.utf8), Array($0.1.utf8)) }

    private static let syllableConsonants: Set<UInt8> = Set("kgnrtdmlbpschjhw".utf8)
    private static let syllableVowels: Set<UInt8> = Set("aeiouwy".utf8)
    private static let syllableFinals: Set<[UInt8]> = Set(
        ["", "n", "ng", "m", "k", "g", "l", "p", "b", "t", "d", "r"].map { Array($0.utf8) })

    /// One romanised syllable's key before its final is collapsed; nil for another shape.
    private static func syllableKey(_ word: [UInt8]) -> [UInt8]? {
        var text = word
        for (from, to) in vowelSpellings { replace(&text, from, to) }
        for (from, to) in initialSpellings where text.starts(with: from) {
            text.replaceSubrange(0..<from.count, with: to)
            break
        }
        // An optional initial, a vowel group, an optional final (n, ng, m, k, l, p, t).
        var index = 0
        while index < text.count, syllableConsonants.contains(text[index]) { index += 1 }
        let initial = index
        while index < text.count, syllableVowels.contains(text[index]) { index += 1 }
        let vowels = index - initial
        guard initial <= 2, vowels >= 1, vowels <= 3, syllableFinals.contains(Array(text[index...])) else { return nil }
        return text
    }

    /// Replaces every `from` in `bytes` by `to`.
    private static func replace(_ bytes: inout [UInt8], _ from: [UInt8], _ to: [UInt8]) {
        guard bytes.count >= from.count else { return }
        var index = 0
        while index + from.count <= bytes.count {
            if bytes[index] == from[0] && bytes[index..<(index + from.count)].elementsEqual(from) {
                bytes.replaceSubrange(index..<(index + from.count), with: to)
                index += to.count
            } else {
                index += 1
            }
        }
    }

    /// Korean surnames written many ways, to one key.
    static let surnames: [String: String] = [
        "kim": "kim", "gim": "kim", "ri": "ri", "lee": "ri", "yi": "ri", "rhee": "ri", "li": "ri", "rhie": "ri",
        "i": "ri", "pak": "pak", "park": "pak", "bak": "pak", "bahk": "pak", "choe": "choe", "choi": "choe",
        "chey": "choe", "jo": "cho", "cho": "cho", "joe": "cho", "chung": "chong", "jung": "chong",
        "jeong": "chong", "jong": "chong", "chong": "chong", "yun": "yun", "yoon": "yun", "kang": "kang",
        "gang": "kang", "han": "han", "o": "o", "oh": "o", "shin": "sin", "sin": "sin", "rim": "rim",
        "lim": "rim", "im": "rim", "ryu": "ryu", "yu": "ryu", "yoo": "ryu", "hwang": "hwang", "jang": "chang",
        "chang": "chang", "song": "song", "sung": "song", "seong": "song", "un": "un", "eun": "un",
        "ryong": "ryong", "lyong": "ryong", "yong": "ryong", "ryeong": "ryong",
    ]

    private static let phoneticSpellings: [([UInt8], [UInt8])] = [
        ("ph", "f"), ("ck", "k"), ("sch", "sk"), ("gh", "g"), ("kh", "k"), ("th", "t"), ("dg", "j"),
        ("tch", "ch"), ("wr", "r"), ("kn", "n"), ("x", "ks"), ("qu", "kw"),
    ].map { (Array($0.0.utf8), Array($0.1.utf8)) }

    /// A phonetic key in the manner of Metaphone, for words of four letters or more: vowels
    /// after the first letter dropped, letters that sound alike merged, doubles collapsed.
    static func phoneticKey(_ word: String) -> String {
        var text = Array(word.utf8)
        guard text.count >= 4, text.allSatisfy({ $0 < 0x80 }) else { return "" }
        for (from, to) in phoneticSpellings { replace(&text, from, to) }
        var key: [UInt8] = []
        var previous: UInt8 = 0
        for (offset, byte) in text.enumerated() {
            var mapped = byte
            switch byte {
            case UInt8(ascii: "c"), UInt8(ascii: "q"): mapped = UInt8(ascii: "k")
            case UInt8(ascii: "v"): mapped = UInt8(ascii: "f")
            case UInt8(ascii: "z"): mapped = UInt8(ascii: "s")
            case UInt8(ascii: "y"), UInt8(ascii: "w"), UInt8(ascii: "h"), UInt8(ascii: "a"), UInt8(ascii: "e"),
                UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"):
                if offset > 0 { continue }
            default: break
            }
            if mapped != previous { key.append(mapped) }
            previous = mapped
        }
        return String(decoding: key, as: UTF8.self)
    }
}

extension MatchRule {
    /// Which rule names a match made of several: the least exact one.
    var strength: Int {
        switch self {
        case .exact, .identifier: 0
        case .spacing: 1
        case .token: 2
        case .romanisation: 3
        case .phonetic: 4
        case .fuzzy: 5
        }
    }
}

extension String {
    /// The text with every occurrence of `target` replaced; by bytes (the keys' words are
    /// ASCII, and this runs for every word of every name compared).
    func replacingAll(_ target: String, with replacement: String) -> String {
        let bytes = Array(utf8)
        let needle = Array(target.utf8)
        guard !needle.isEmpty, bytes.count >= needle.count else { return self }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + 4)
        var index = 0
        var changed = false
        while index < bytes.count {
            if bytes[index] == needle[0], index + needle.count <= bytes.count,
                bytes[index..<(index + needle.count)].elementsEqual(needle)
            {
                result.append(contentsOf: replacement.utf8)
                index += needle.count
                changed = true
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return changed ? String(decoding: result, as: UTF8.self) : self
    }
}
