import Foundation

/// A normalised name as screening compares it word by word: each word with its weight, its
/// Korean romanisation keys, its given-name class and its phonetic key, made once per word
/// and held as plain numbers (interned keys), so that comparing names copies no references.
struct NameWords: Sendable, Equatable {
    struct Word: Sendable, Equatable {
        /// The written-out form (`corp` → `corporation`), interned.
        var expanded: Int32
        /// Its hash, to find it written as two words run together on the other side.
        var expandedHash: Int
        /// The keys under which this word's Korean romanisations meet (one syllable), interned;
        /// 0 for none.
        var korean: (Int32, Int32, Int32)
        /// The key of a word of several romanised Korean syllables (`kangbong`, `tanchon`), 0
        /// for none.
        var koreanWord: Int32
        /// The class of spellings of one given name, article or company word across
        /// transliterations (`muhammad` for Mohamed, Mohammad; `al` for El; `company` for
        /// Corporation), 0 when the word has none.
        var variant: Int32
        var phonetic: Int32
        /// Which letters it has, a bit each (the scalar's value modulo 64): a quick test of
        /// whether a letter can be in it.
        var letters: UInt64
        /// Where its scalars are in the name's `scalars`, for the edit distance and Jaro–Winkler.
        var start: Int32
        var count: Int32
        /// Generic words of company names and legal forms weigh little, titles almost nothing.
        var weight: Double
        /// Whether a match of this word alone may make a name match (not generic, three
        /// letters or more, or a word of a Korean name).
        var canCarry: Bool
        /// A single letter: an initial, which matches a word it begins.
        var isInitial: Bool
        /// A title or honorific (`mr`, `dr`, `sheikh`): it neither matches nor costs.
        var isTitle: Bool

        var hasKorean: Bool { korean.0 != 0 }

        func sharesKoreanKey(with other: Word) -> Bool {
            guard korean.0 != 0 && other.korean.0 != 0 else { return false }
            for key in [korean.0, korean.1, korean.2] where key != 0 {
                if key == other.korean.0 || key == other.korean.1 || key == other.korean.2 { return true }
            }
            return false
        }

        static func == (lhs: Word, rhs: Word) -> Bool {
            lhs.expanded == rhs.expanded && lhs.start == rhs.start && lhs.count == rhs.count
                && lhs.weight == rhs.weight
        }
    }

    /// Two or three adjacent words run together: their hash and where they are.
    struct Joined: Sendable, Equatable {
        var hash: Int
        var first: Int
        var last: Int
    }

    var words: [Word]
    /// The scalars of every word, one after another.
    var scalars: [Unicode.Scalar]
    /// The runs of two or three adjacent words written together.
    var joined: [Joined]
    /// The name with its spaces taken out.
    var compact: String

    init(_ normalized: String) {
        compact =
            normalized.utf8.allSatisfy({ $0 < 0x80 })
            ? String(decoding: normalized.utf8.filter { $0 != 0x20 }, as: UTF8.self)
            : String(normalized.filter { $0 != " " })
        var words: [Word] = []
        var scalars: [Unicode.Scalar] = []
        var texts: [String] = []
        for token in Self.joiningLegalForms(NameNormalizer.tokens(normalized)) {
            let text = String(token)
            // An abbreviation may stand for several words (`dprk`); a word for itself.
            for expanded in Self.abbreviations[text].map({ $0.split(separator: " ").map(String.init) }) ?? [text] {
                var (word, letters) = Self.word(expanded)
                word.start = Int32(scalars.count)
                scalars.append(contentsOf: letters)
                words.append(word)
                texts.append(expanded)
            }
        }
        var joined: [Joined] = []
        if texts.count >= 2 {
            for first in 0..<(texts.count - 1) {
                var run = texts[first]
                for last in (first + 1)..<min(first + 3, texts.count) {
                    run += texts[last]
                    joined.append(Joined(hash: run.hashValue, first: first, last: last))
                }
            }
        }
        self.words = words
        self.scalars = scalars
        self.joined = joined
    }

    static func == (lhs: NameWords, rhs: NameWords) -> Bool {
        lhs.compact == rhs.compact && lhs.words == rhs.words
    }

    /// Words made so far, by their written-out form: the same words come back in name after
    /// name (a customer file screens thousands against the same designations), and their keys
    /// are the costly part of reading a name.
    nonisolated(unsafe) private static var madeWords: [String: (Word, [Unicode.Scalar])] = [:]
    /// Every key interned so far, and the number it is known by (1, 2, 3, …).
    nonisolated(unsafe) private static var interned: [String: Int32] = [:]
    private static let madeWordsLock = NSLock()
    // `nonisolated(unsafe)`: both dictionaries are read and written under `madeWordsLock` only.

    /// The word `expanded` with its keys and weight, and its scalars.
    static func word(_ expanded: String) -> (Word, [Unicode.Scalar]) {
        madeWordsLock.lock()
        if let made = madeWords[expanded] {
            madeWordsLock.unlock()
            return made
        }
        madeWordsLock.unlock()
        let isTitle = titles.contains(expanded)
        let isGeneric = genericWords.contains(expanded) || legalForms.contains(expanded)
        let isInitial = expanded.count == 1
        let korean = koreanKeys(expanded)
        let koreanWord = koreanWordKey(expanded)
        let variant = variants[expanded] ?? ""
        let phonetic = phoneticKey(expanded)
        let letters = Array(expanded.unicodeScalars)
        madeWordsLock.lock()
        defer { madeWordsLock.unlock() }
        func intern(_ key: String) -> Int32 {
            guard !key.isEmpty else { return 0 }
            if let known = interned[key] { return known }
            let number = Int32(interned.count + 1)
            interned[key] = number
            return number
        }
        let keys = korean.prefix(3).map(intern) + [0, 0, 0]
        let word = Word(
            expanded: intern(expanded), expandedHash: expanded.hashValue, korean: (keys[0], keys[1], keys[2]),
            koreanWord: intern(koreanWord), variant: intern(variant), phonetic: intern(phonetic),
            letters: letters.reduce(0) { $0 | 1 << ($1.value & 63) }, start: 0,
            count: Int32(letters.count), weight: isTitle ? 0.05 : isGeneric ? 0.2 : isInitial ? 0.5 : 1,
            canCarry: !isTitle && !isGeneric && (expanded.count >= 3 || !korean.isEmpty), isInitial: isInitial,
            isTitle: isTitle)
        if madeWords.count < 200_000 { madeWords[expanded] = (word, letters) }
        return (word, letters)
    }

    /// The words with single letters that spell a legal form together (`s a` of `S.A.`)
    /// joined into it.
    static func joiningLegalForms(_ tokens: [Substring]) -> [Substring] {
        guard tokens.count >= 2, tokens.contains(where: \.isOneCharacter) else { return tokens }
        var result: [Substring] = []
        var index = 0
        while index < tokens.count {
            if tokens[index].isOneCharacter {
                var end = index
                while end + 1 < tokens.count, tokens[end + 1].isOneCharacter { end += 1 }
                let joined = tokens[index...end].joined()
                if end > index && legalForms.contains(joined) {
                    result.append(Substring(joined))
                    index = end + 1
                    continue
                }
            }
            result.append(tokens[index])
            index += 1
        }
        return result
    }

    /// Whether some word of the name could carry a match (the name is not all generic words).
    var hasCarryingWord: Bool { words.contains(where: \.canCarry) }

    /// `keyForm` of a normalised name, without making the rest of its words (what indexing
    /// needs of a name: it is never compared there).
    static func keyForm(of normalized: String) -> String {
        NameNormalizer.tokens(normalized).flatMap { token in
            (abbreviations[String(token)] ?? String(token)).split(separator: " ").map { part in
                koreanKeys(String(part)).first ?? String(part)
            }
        }.joined(separator: " ")
    }

    /// How alike two words are, in 0…1, and by which rule; `aScalars` and `bScalars` are
    /// their names' scalars. Symmetric: the two words are taken in the order of their letters,
    /// so that a name compares each pair once for both sides.
    static func similarity(
        _ a: Word, _ aScalars: UnsafeBufferPointer<Unicode.Scalar>, _ b: Word,
        _ bScalars: UnsafeBufferPointer<Unicode.Scalar>
    ) -> (value: Double, rule: MatchRule) {
        if a.expanded == b.expanded { return (1, .token) }
        if a.isTitle || b.isTitle { return (0, .token) }
        var x = UnsafeBufferPointer(rebasing: aScalars[Int(a.start)..<Int(a.start + a.count)])
        var y = UnsafeBufferPointer(rebasing: bScalars[Int(b.start)..<Int(b.start + b.count)])
        if a.isInitial != b.isInitial {
            // An initial matches the word it begins: `M.` for Mario.
            return x.first == y.first ? (0.9, .initial) : (0, .token)
        }
        if a.variant != 0 && a.variant == b.variant { return (0.95, .variant) }
        if a.sharesKoreanKey(with: b) { return (0.95, .romanisation) }
        if a.koreanWord != 0 && a.koreanWord == b.koreanWord { return (0.93, .romanisation) }
        let shorter = min(x.count, y.count)
        if shorter == 3 && x.count == 3 && y.count == 3 && sortedLetters(x) == sortedLetters(y)
            && editDistance(x, y, atMost: 1) == 1
        {
            return (0.9, .fuzzy)  // two letters swapped in a short word: HAE, HEA
        }
        guard shorter >= 4 else { return (0, .token) }
        let longer = max(x.count, y.count)
        // A slip of typing: few edits for the length, and Jaro–Winkler agrees.
        let allowed = longer >= 8 ? 2 : 1
        // The rules below are taken with the words in the order of their letters, so that
        // they give the same answer whichever side a word is on.
        var yLetters = b.letters
        if y.lexicographicallyPrecedes(x, by: { $0.value < $1.value }) {
            swap(&x, &y)
            yLetters = a.letters
        }
        if longer - shorter <= allowed {
            // Letters of one that may be in the other (by their bits): at least the letters an
            // edit leaves, so too few means too many edits (a test before the edit distance).
            var common = 0
            for scalar in x where yLetters & 1 << (scalar.value & 63) != 0 { common += 1 }
            if common + 2 * allowed >= longer {
                if editDistance(x, y, atMost: allowed) <= allowed {
                    let jaroWinkler = NameSimilarity.jaroWinkler(x, y)
                    if jaroWinkler >= 0.85 { return (min(0.95, jaroWinkler), .fuzzy) }
                }
            }
        }
        // Words that sound alike, spelt further apart than a typo: never above a typo's score,
        // and only for words of near length that share most letters (`crow` and `kakorere`
        // share a key, not a sound; `zhen` and `sonia` too).
        if a.phonetic != 0 && a.phonetic == b.phonetic && shorter * 4 >= longer * 3
            && editDistance(x, y, atMost: max(2, longer * 2 / 5)) <= max(2, longer * 2 / 5)
        {
            return (0.85, .phonetic)
        }
        return (0, .token)
    }

    /// Whether `word` is two or three adjacent words of `other` run together (`aliakbar`).
    static func isRunTogether(_ word: Word, in other: NameWords) -> Bool {
        other.joined.contains { $0.hash == word.expandedHash }
    }

    /// Marks as found (0.97) each run of two or three adjacent words of `words` that a word
    /// of four letters or more of `other` writes together.
    static func markParts(
        of words: NameWords, runTogetherIn other: NameWords, found: inout [(similarity: Double, byInitial: Bool)]
    ) {
        for run in words.joined where other.words.contains(where: { $0.count >= 4 && $0.expandedHash == run.hash }) {
            for index in run.first...run.last where found[index].similarity < 0.97 { found[index] = (0.97, false) }
        }
    }

    /// The three letters of a three-letter word in order (whether two words are the same
    /// letters swapped).
    static func sortedLetters(_ word: UnsafeBufferPointer<Unicode.Scalar>) -> (UInt32, UInt32, UInt32) {
        var (p, q, r) = (word[0].value, word[1].value, word[2].value)
        if p > q { swap(&p, &q) }
        if q > r { swap(&q, &r) }
        if p > q { swap(&p, &q) }
        return (p, q, r)
    }

    /// `editDistance(a, b)` when it is at most `limit`, otherwise some number above `limit`:
    /// only the cells within `limit` of the diagonal are computed, and the rows stop as soon as
    /// every cell is above it (what a test against a limit needs, in a fraction of the time).
    static func editDistance(
        _ a: UnsafeBufferPointer<Unicode.Scalar>, _ b: UnsafeBufferPointer<Unicode.Scalar>, atMost limit: Int
    ) -> Int {
        let beyond = limit + 1
        if abs(a.count - b.count) > limit { return beyond }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        let width = b.count + 1
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * width) { rows in
            var previous2 = 0
            var previous = width
            var current = 2 * width
            for j in 0...b.count {
                rows[previous + j] = min(j, beyond)
                rows[previous2 + j] = beyond
            }
            for i in 1...a.count {
                let low = max(1, i - limit)
                let high = min(b.count, i + limit)
                // The cells left of the band (and the column 0 past the limit) are beyond it.
                rows[current] = min(i, beyond)
                if low > 1 { rows[current + low - 1] = beyond }
                var rowMinimum = rows[current]
                for j in low...high {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    var value = min(rows[previous + j] + 1, rows[current + j - 1] + 1, rows[previous + j - 1] + cost)
                    if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                        value = min(value, rows[previous2 + j - 2] + 1)
                    }
                    value = min(value, beyond)
                    rows[current + j] = value
                    rowMinimum = min(rowMinimum, value)
                }
                if high < b.count { rows[current + high + 1] = beyond }
                if rowMinimum > limit { return beyond }
                (previous2, previous, current) = (previous, current, previous2)
            }
            return rows[previous + b.count]
        }
    }

    /// Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions),
    /// its three rows on the stack.
    static func editDistance(_ a: UnsafeBufferPointer<Unicode.Scalar>, _ b: UnsafeBufferPointer<Unicode.Scalar>) -> Int
    {
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

    /// Legal forms of companies, as they normalise (`S.A.` is `sa` once its letters are
    /// joined): as generic as `company`.
    static let legalForms: Set<String> = [
        "sa", "sal", "sarl", "sas", "srl", "spa", "llc", "llp", "lp", "ltd", "jsc", "pjsc", "ojsc", "cjsc", "ooo",
        "oao", "zao", "pao", "ao", "gmbh", "kg", "ag", "bv", "nv", "plc", "pte", "pty", "bhd", "sdn", "fze", "fzco",
        "fzc", "fzllc", "wll", "est", "cia", "cv", "sl", "oy", "ab", "as", "aps", "kft", "doo", "dd", "ad", "eood",
        "tov", "pp", "tic", "ltda", "sac", "saic", "corp", "inc", "co", "spzoo", "sro", "ehf", "hf", "ulc",
    ]

    /// Titles and honorifics: no part of whom a name names.
    static let titles: Set<String> = [
        "mr", "mrs", "ms", "miss", "dr", "prof", "jr", "sr", "sir", "haji", "hajji", "hadji", "sheikh", "shaikh",
        "shaykh", "sheik", "mullah", "mulla", "maulvi", "maulavi", "mawlawi", "maulana", "qari", "imam",
        "general", "gen", "col", "colonel", "capt", "captain", "lt", "major", "maj", "brig", "admiral", "eng",
        "engineer", "doctor", "professor", "hon", "rev", "father", "ustadh", "ustaz",
    ]

    /// Spellings of one given name, article or company word across transliterations, each
    /// to its class.
    static let variants: [String: String] = {
        let classes: [String: [String]] = [
            "muhammad": [
                "muhammad", "mohammad", "mohammed", "mohamed", "muhammed", "mohamad", "muhamad", "mohamud",
                "mohd", "muhamed", "mouhamed", "mukhammad", "mukhammed", "magomed", "mohammadi", "muhamadi",
                "mehmet", "mehmed", "mahomed", "mohamet",
            ],
            "ali": ["ali", "aly", "alee", "aliy"], "umar": ["umar", "omar", "omer", "umer", "oumar"],
            "yusuf": [
                "yusuf", "yousef", "youssef", "yusef", "yousif", "yousuf", "youssouf", "yussuf", "yosef", "yusif",
            ],
            "al": ["al", "el", "ul", "ol"], "abu": ["abu", "abou", "abo", "abul"],
            "abd": ["abd", "abdul", "abdel", "abdal", "abdoul", "abdu", "abdi"],
            "hasan": ["hasan", "hassan", "hasen", "hassen"],
            "husayn": ["husayn", "hussein", "husain", "hussain", "husein", "hossein", "hosein", "hussin", "hussien"],
            "ahmad": ["ahmad", "ahmed", "ahmet", "akhmad", "akhmed"],
            "mahmud": ["mahmud", "mahmoud", "mahmood", "makhmud"],
            "mustafa": ["mustafa", "mostafa", "moustafa", "mustapha", "mostapha", "moustapha"],
            "usama": ["usama", "osama", "ussama", "oussama"],
            "ibrahim": ["ibrahim", "ebrahim", "ibraheem", "ibrahima", "ebraheem"],
            "ismail": ["ismail", "ismael", "esmail", "ismaeel", "ismayil"],
            "abdallah": ["abdallah", "abdullah", "abdulla", "abdellah", "abdalla", "abdollah"],
            "khalid": ["khalid", "khaled", "khaleed"], "said": ["said", "saeed", "saed", "sayeed", "saaid"],
            "sayyid": ["sayyid", "sayed", "syed", "sayid", "seyed", "seyyed", "saiyid"],
            "hamid": ["hamid", "hamed", "hameed"], "rashid": ["rashid", "rasheed", "rachid", "rashed"],
            "nasir": ["nasir", "nasser", "naser", "nassir", "nacer", "nasr"], "jamal": ["jamal", "gamal", "jamaal"],
            "qasim": ["qasim", "kassem", "qassem", "kasim", "qassim", "qasem", "kasem"],
            "tariq": ["tariq", "tarek", "tarik", "tareq"], "yahya": ["yahya", "yehia", "yahia", "yehya"],
            "zakariya": ["zakariya", "zakaria", "zakariyya", "zakariah", "zakariyah", "zakaria"],
            "faysal": ["faysal", "faisal", "feisal", "faycal"], "sayf": ["sayf", "saif", "seif", "sayfe"],
            "yasin": ["yasin", "yassin", "yaseen", "yassine", "yacine"], "mansur": ["mansur", "mansour", "mansoor"],
            "karim": ["karim", "kareem", "kerim"], "aziz": ["aziz", "azeez", "abdelaziz"],
            "rahman": ["rahman", "rehman", "rakhman"], "sharif": ["sharif", "sherif", "shareef", "cherif"],
            "sulayman": ["sulayman", "suleiman", "sulaiman", "soliman", "sleiman", "suleyman", "sulejman", "sulaymon"],
            "uthman": ["uthman", "othman", "osman", "usman", "othmane"], "hamza": ["hamza", "hamzah", "hamsa"],
            "ayman": ["ayman", "aiman", "aymen"], "walid": ["walid", "waleed", "oualid"],
            "majid": ["majid", "majed", "magid"], "jafar": ["jafar", "jaafar", "jafer", "djafar"],
            "haydar": ["haydar", "haidar", "haider", "hyder", "heidar"], "muhsin": ["muhsin", "mohsen", "mohsin"],
            "rida": ["rida", "reza", "riza", "ridha"], "mahdi": ["mahdi", "mehdi"], "jawad": ["jawad", "javad"],
            "salih": ["salih", "saleh", "salah"], "isa": ["isa", "issa", "eissa"], "musa": ["musa", "mousa", "moussa"],
            "bin": ["bin", "ben", "ibn"], "abbas": ["abbas", "abas"], "hafiz": ["hafiz", "hafez", "hafeez"],
            "nur": ["nur", "noor", "nour"], "din": ["din", "deen", "eddine", "uddin", "eddin", "addin"],
            "yunus": ["yunus", "younis", "younes", "yunis", "yunes"], "idris": ["idris", "idriss", "edris"],
            "anwar": ["anwar", "anouar", "anvar"], "bashir": ["bashir", "bachir", "basheer"],
            "company": ["company", "corporation", "incorporated", "limited", "companies"],
            "trading": ["trading", "trade", "trades"], "bank": ["bank", "banking"],
            "industry": ["industry", "industrial", "industries"], "korea": ["korea", "korean", "koryo"],
            "people": ["people", "peoples"],
        ]
        var table: [String: String] = [:]
        for (key, spellings) in classes {
            for spelling in spellings { table[spelling] = key }
        }
        return table
    }()

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
        !koreanKeys(word).isEmpty && word.count <= 6
    }

    /// The keys under which the romanisations of one Korean syllable meet: Revised, McCune–
    /// Reischauer, the common spellings of names (KIM/GIM, JONG/JEONG/CHONG/JUNG, UN/EUN,
    /// PAK/PARK/BAK, RI/LEE/YI/RHEE, CHOE/CHOI, RYONG/LYONG/YONG, SONG/SEONG/SUNG) and the
    /// Russian ones (ЧЕН and ЧОН for 정, ЫН for 은, ЧЖАН for 장, ЧХВЕ for 최, ПЭК for 백):
    /// the word's key, and for a vowel `e`, the key with `o` too (Russian writes 정 ЧЕН).
    /// Empty for a word that is not one syllable of that shape. By bytes: it runs for every
    /// word compared.
    static func koreanKeys(_ word: String) -> [String] {
        var keys: [String] = []
        for key in [surnames[word].map { koreanKey(fromSyllable: Array($0.utf8)) }, koreanKey(word)] {
            guard let key, !key.isEmpty, !keys.contains(key) else { continue }
            keys.append(key)
            let bytes = Array(key.utf8)
            if let e = bytes.firstIndex(of: UInt8(ascii: "e")), e > 0,
                !syllableVowels.contains(bytes[e - 1]), e + 1 == bytes.count || !syllableVowels.contains(bytes[e + 1])
            {
                var other = bytes
                other[e] = UInt8(ascii: "o")
                keys.append(String(decoding: other, as: UTF8.self))
            }
        }
        return keys
    }

    /// The key of `word` as one romanised syllable (see `koreanKeys`), empty for another
    /// shape.
    static func koreanKey(_ word: String) -> String {
        guard word.utf8.count <= 6, let syllable = syllableKey(Array(word.utf8)) else { return "" }
        return koreanKey(fromSyllable: syllable)
    }

    /// A syllable's key with its final collapsed.
    private static func koreanKey(fromSyllable syllable: [UInt8]) -> String {
        var key = syllable
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

    /// The key of a word written as several romanised Korean syllables (`kangbong`,
    /// `namchongang`, `goryeo`): the spellings romanisations differ by folded together
    /// (eo/o, eu/u, ae/e, g/k, d/t, b/p, j/ch, l/r, ng/n, aspirated consonants). Empty for a
    /// word of fewer than five letters or not in Latin letters.
    static func koreanWordKey(_ word: String) -> String {
        let bytes = Array(word.utf8)
        guard bytes.count >= 5, bytes.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }),
            isKoreanSyllables(bytes[...])
        else { return "" }
        var text = bytes
        for (from, to) in wordSpellings { replace(&text, from, to) }
        var key: [UInt8] = []
        for byte in text {
            let mapped: UInt8
            switch byte {
            case UInt8(ascii: "g"): mapped = UInt8(ascii: "k")
            case UInt8(ascii: "d"): mapped = UInt8(ascii: "t")
            case UInt8(ascii: "b"): mapped = UInt8(ascii: "p")
            case UInt8(ascii: "j"): mapped = UInt8(ascii: "c")
            case UInt8(ascii: "l"): mapped = UInt8(ascii: "r")
            case UInt8(ascii: "h") where key.last.map { Set("kctps".utf8).contains($0) } ?? false: continue
            default: mapped = byte
            }
            if mapped == key.last && !syllableVowels.contains(mapped) { continue }
            key.append(mapped)
        }
        return String(decoding: key, as: UTF8.self)
    }

    /// Whether `word` reads as two or more romanised Korean syllables in a row (`kang|bong`):
    /// each an initial of up to three consonant letters, a vowel group of up to four, and a
    /// final (n, ng, m, k, g, l, p, b, t, d, r). A gate before the key is made, by bytes and
    /// without allocating: it runs for every new word of five letters or more.
    static func isKoreanSyllables(_ word: ArraySlice<UInt8>) -> Bool {
        // Letters no romanisation of Korean writes: most words of other languages stop here.
        if word.contains(where: { notKorean.contains($0) }) { return false }
        let bytes = Array(word)
        let count = bytes.count
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: count + 1) { reachable in
            reachable.initialize(repeating: false)
            reachable[0] = true
            for start in 0..<count where reachable[start] {
                var index = start
                while index < count, index - start < 3, isSyllableConsonant(bytes[index]) { index += 1 }
                let vowelStart = index
                while index < count, index - vowelStart < 4, isSyllableVowel(bytes[index]) { index += 1 }
                guard index > vowelStart else { continue }
                // Every end after the vowels, with or without a final.
                for vowelEnd in (vowelStart + 1)...index {
                    reachable[vowelEnd] = true
                    if vowelEnd < count, isFinal(bytes[vowelEnd]) {
                        reachable[vowelEnd + 1] = true
                        if bytes[vowelEnd] == UInt8(ascii: "n"), vowelEnd + 1 < count,
                            bytes[vowelEnd + 1] == UInt8(ascii: "g")
                        {
                            reachable[vowelEnd + 2] = true
                        }
                    }
                }
            }
            return reachable[count]
        }
    }

    private static func isSyllableConsonant(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "k"), UInt8(ascii: "g"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"),
            UInt8(ascii: "d"), UInt8(ascii: "m"), UInt8(ascii: "l"), UInt8(ascii: "b"), UInt8(ascii: "p"),
            UInt8(ascii: "s"), UInt8(ascii: "c"), UInt8(ascii: "h"), UInt8(ascii: "j"), UInt8(ascii: "w"):
            true
        default: false
        }
    }

    private static func isSyllableVowel(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"),
            UInt8(ascii: "w"), UInt8(ascii: "y"):
            true
        default: false
        }
    }

    private static func isFinal(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "n"), UInt8(ascii: "m"), UInt8(ascii: "k"), UInt8(ascii: "g"), UInt8(ascii: "l"),
            UInt8(ascii: "p"), UInt8(ascii: "b"), UInt8(ascii: "t"), UInt8(ascii: "d"), UInt8(ascii: "r"):
            true
        default: false
        }
    }

    private static let notKorean: Set<UInt8> = Set("fqvxz".utf8)

    private static let wordSpellings: [([UInt8], [UInt8])] = [
        ("yeo", "yo"), ("eo", "o"), ("eu", "u"), ("ae", "e"), ("oo", "u"), ("ee", "i"), ("ng", "n"), ("ch", "c"),
        ("sh", "s"), ("rh", "r"), ("w", "u"),
    ].map { (Array($0.0.utf8), Array($0.1.utf8)) }

    private static let vowelSpellings: [([UInt8], [UInt8])] = [
        ("v", "w"), ("yeo", "yo"), ("eo", "o"), ("eu", "u"), ("oo", "u"), ("ee", "i"), ("ai", "ae"), ("ae", "e"),
        ("oi", "oe"), ("we", "oe"), ("ung", "ong"),
    ].map { (Array($0.0.utf8), Array($0.1.utf8)) }

    /// Initial consonants, as Latin and Russian (Кх, Чж, Чх, Тх, Пх) write them.
    private static let initialSpellings: [([UInt8], [UInt8])] = [
        ("chzh", "ch"), ("chkh", "ch"), ("dzh", "ch"), ("kkh", "k"), ("tkh", "t"), ("pkh", "p"), ("kk", "k"),
        ("gh", "k"), ("kh", "h"), ("g", "k"), ("tt", "t"), ("th", "t"), ("d", "t"), ("pp", "p"), ("ph", "p"),
        ("b", "p"), ("jj", "ch"), ("tch", "ch"), ("chh", "ch"), ("j", "ch"), ("ss", "s"), ("sh", "s"), ("rh", "r"),
        ("l", "r"), ("v", "w"),
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
        // A lone y is Russian's ы, as u: ЫН is 은 (eun).
        if vowels == 1 && text[initial] == UInt8(ascii: "y") { text[initial] = UInt8(ascii: "u") }
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
        ("ph", "f"), ("ck", "k"), ("sch", "sk"), ("gh", "g"), ("kh", "h"), ("th", "t"), ("dg", "j"),
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
        case .token, .contained: 2
        case .variant, .romanisation: 3
        case .initial: 4
        case .phonetic: 5
        case .fuzzy: 6
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
