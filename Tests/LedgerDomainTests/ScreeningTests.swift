import LedgerTestSupport
import Testing

@testable import LedgerDomain

@Suite struct NameNormalizerTests {
    @Test(arguments: [
        ("  Lazarus-Group, (Hidden Cobra) ", "lazarus group hidden cobra"),
        ("LAZARUS\tGROUP", "lazarus group"),
        ("Lázàrüs Gröüp", "lazarus group"),
        ("Straße", "strasse"),
        ("O'Brien", "obrien"),
        ("Łódź Ærø", "lodz aero"),
        ("TEMP.HERMIT", "temp hermit"),
        ("ＬＡＺＡＲＵＳ", "lazarus"),
        ("...", ""),
    ])
    func normalizes(_ input: String, _ expected: String) {
        #expect(NameNormalizer.normalize(input) == expected)
    }

    /// The ASCII fast path agrees with the general one on every ASCII character, alone and
    /// between letters, and on random ASCII names.
    @Test func asciiNamesNormalizeAsTheGeneralPathDoes() {
        for byte in UInt8(0)...127 {
            let character = String(decoding: [byte], as: UTF8.self)
            for text in [character, "Ab\(character)Cd", "\(character) x\(character)\(character)y "] {
                #expect(NameNormalizer.normalizeASCII(text) == NameNormalizer.normalizeUnicode(text), "\(byte)")
            }
        }
        var random = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let bytes = (0..<Int.random(in: 0...24, using: &random)).map { _ in
                UInt8.random(in: 0...127, using: &random)
            }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(NameNormalizer.normalizeASCII(text) == NameNormalizer.normalizeUnicode(text), "\(bytes)")
        }
        #expect(NameNormalizer.normalizeASCII("Lázaro") == nil)
    }

    @Test func trigramsArePaddedPerWord() {
        #expect(NameNormalizer.trigrams("ab") == ["  a", " ab", "ab "])
    }

    /// Sorted words by bytes (ASCII) equal sorted words by strings.
    @Test func sortedTokensEqualTheSortedWords() {
        var random = SystemRandomNumberGenerator()
        let alphabet = Array("abZ09  é")
        for _ in 0..<500 {
            let text = String((0..<Int.random(in: 0...16, using: &random)).map { _ in alphabet.randomElement()! })
            for name in [text, NameNormalizer.normalize(text)] {
                #expect(
                    NameNormalizer.sortedTokens(name)
                        == NameNormalizer.tokens(name).sorted().joined(separator: " "), "\(name)")
            }
        }
    }

    /// The by-bytes trigrams of ASCII names are those of the windows over characters, in
    /// the same order with the same repeats.
    @Test func asciiTrigramsEqualCharacterTrigrams() {
        func reference(_ normalized: String) -> [String] {
            var grams: [String] = []
            for token in normalized.split(separator: " ") {
                let padded = Array("  " + token + " ")
                for start in 0..<(padded.count - 2) { grams.append(String(padded[start..<(start + 3)])) }
            }
            return grams
        }
        var random = SystemRandomNumberGenerator()
        let alphabet = Array("abcz09  ")
        for _ in 0..<500 {
            let name = String((0..<Int.random(in: 0...20, using: &random)).map { _ in alphabet.randomElement()! })
            for text in [name, NameNormalizer.normalize(name), "é" + name] {
                var grams: [String] = []
                NameNormalizer.forEachTrigram(text) { grams.append($0) }
                #expect(grams == reference(text), "\(text)")
            }
        }
    }
}

@Suite struct NameSimilarityTests {
    @Test func jaroWinklerKnownValues() {
        func jw(_ a: String, _ b: String) -> Double {
            let left = Array(a.unicodeScalars)
            let right = Array(b.unicodeScalars)
            return left.withUnsafeBufferPointer { l in
                right.withUnsafeBufferPointer { r in NameSimilarity.jaroWinkler(l, r) }
            }
        }
        #expect(abs(jw("martha", "marhta") - 0.9611) < 0.0001)
        #expect(abs(jw("dwayne", "duane") - 0.84) < 0.0001)
        #expect(abs(jw("dixon", "dicksonx") - 0.8133) < 0.0001)
        #expect(jw("abc", "xyz") == 0)
    }

    /// The banded edit distance, which stops beyond a limit, agrees with the full one
    /// wherever the full one is within the limit, and says "beyond" wherever it is not.
    @Test func boundedEditDistanceAgreesWithTheFullOne() {
        var random = SplitMix64(seed: 24_25)
        let letters = Array("abcdeo".unicodeScalars)
        for _ in 0..<20_000 {
            let a = (0..<Int(random.next() % 10)).map { _ in letters[Int(random.next() % 6)] }
            let b = (0..<Int(random.next() % 10)).map { _ in letters[Int(random.next() % 6)] }
            let limit = Int(random.next() % 5)
            a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in
                    let full = NameWords.editDistance(x, y)
                    let bounded = NameWords.editDistance(x, y, atMost: limit)
                    if full <= limit {
                        #expect(bounded == full, "\(a) \(b) limit \(limit)")
                    } else {
                        #expect(bounded > limit, "\(a) \(b) limit \(limit)")
                    }
                }
            }
        }
    }

    /// Word similarity is symmetric: a name compares each pair of words once for both sides.
    @Test func wordSimilarityIsSymmetric() {
        var random = SplitMix64(seed: 26)
        let words = [
            "mohammed", "muhammad", "kim", "gim", "jong", "chong", "lazarus", "lazaros", "al", "el", "m", "hae", "hea",
            "martha", "marhta", "dwayne", "duane", "zhen", "sonia", "crow", "kakorere", "abcdefgh", "abcdefhg",
        ]
        for _ in 0..<5_000 {
            let left = NameWords(words[Int(random.next() % UInt64(words.count))])
            let right = NameWords(words[Int(random.next() % UInt64(words.count))])
            left.scalars.withUnsafeBufferPointer { x in
                right.scalars.withUnsafeBufferPointer { y in
                    let forward = NameWords.similarity(left.words[0], x, right.words[0], y)
                    let backward = NameWords.similarity(right.words[0], y, left.words[0], x)
                    #expect(forward.value == backward.value && forward.rule == backward.rule)
                }
            }
        }
    }

    @Test func onlyAnExactMatchScoresOne() {
        #expect(NameSimilarity.score("lazarus group", "lazarus group") == 1)
        #expect(NameSimilarity.score("lazarusgroup", "lazarus group") == 0.99)
        #expect(NameSimilarity.score("group lazarus", "lazarus group") == 0.98)
        #expect(NameSimilarity.score("lazaros group", "lazarus group") < 0.99)
    }
}

@Suite struct ScreenerTests {
    static let designation: EntitySnapshot = {
        let data = try! StrictJSONReader().read(
            #"{"list":"OFAC-SDN","entity":"LAZARUS GROUP","entity_type":"organization","aliases":["HIDDEN COBRA","Guardians of Peace"],"identifiers":[{"kind":"eth_address","value":"0x098B716B8Aaf21512996dC57EB0615e2383E2f96"},{"kind":"btc_address","value":"bc1qCaseMatters"},{"kind":"trx_address","value":"TXyzCase"}]}"#
        ).objectValue!
        let day = Day("2019-09-13")!
        return EntitySnapshot(
            stream: "designation/lazarus", kind: .designation,
            events: [
                CountedEvent(
                    seq: 1, id: "d", type: .designationAdded, occurredOn: day, knownOn: day, publisher: "OFAC",
                    content: EventContent(type: .designationAdded, json: data))
            ])
    }()

    func match(_ query: String, threshold: Double = 0.85) -> ScreeningMatch? {
        Screener(query: query, threshold: threshold).match(Self.designation)
    }

    @Test(
        arguments: [
            ("Lazarus Group", "name", "1.00"), ("lazarus group", "name", "1.00"),
            ("  LAZARUS   GROUP ", "name", "1.00"),
            ("Lázarus Gróup", "name", "1.00"), ("Lazarus-Group!", "name", "1.00"), ("Group Lazarus", "name", "0.98"),
            ("Lazarus Grup", "name", nil), ("Lazarvs Group", "name", nil), ("Hidden Cobra", "alias", "1.00"),
            ("Guardians of the Peace", "alias", nil), ("hiden cobra", "alias", nil),
        ] as [(String, String, String?)])
    func lookAlikesMatch(_ query: String, _ kind: String, _ exactScore: String?) throws {
        let found = try #require(match(query), "\(query) should match")
        #expect(found.matchedOn.rawValue == kind)
        if let exactScore { #expect(Screener.formatScore(found.score) == exactScore) }
        #expect(found.score >= 85)
    }

    @Test(arguments: ["Acme Trading Ltd", "Sony Pictures", "Red Cross", "Kim Jong", "Peace Corps", "0x098B716B8Aaf"])
    func clearNonMatchesDoNot(_ query: String) {
        #expect(match(query) == nil)
    }

    /// Jaro–Winkler on whole names let a shared prefix and a generic word lift unrelated names
    /// ("Lazio Group" scored 0.90); word by word, a generic word weighs little.
    @Test func sharedPrefixesAndGenericWordsDoNotLiftUnrelatedNames() {
        #expect(match("Lazio Group") == nil)
        #expect(match("Group") == nil)
        #expect(match("Lazarus")?.score ?? 0 >= 85)
    }

    @Test func identifiersFollowTheirKindsRules() {
        #expect(match("0x098b716b8aaf21512996dc57eb0615e2383e2f96")?.matchedOn == .identifier)
        #expect(match("  0X098B716B8AAF21512996DC57EB0615E2383E2F96 ")?.score == 100)
        #expect(match("bc1qCaseMatters")?.matchedOn == .identifier)
        #expect(match("bc1qcasematters", threshold: 1) == nil)
        #expect(match("TXyzCase")?.matchedValue == "TXyzCase")
        #expect(match("txyzcase", threshold: 1) == nil)
    }

    @Test func thresholdIsInclusiveOnTheShownScore() throws {
        let score = try #require(match("Lazaros Group", threshold: 0)).score
        #expect(match("Lazaros Group", threshold: Double(score) / 100) != nil)
        #expect(match("Lazaros Group", threshold: Double(score + 1) / 100) == nil)
    }

    @Test func scoresHaveTwoDecimals() {
        #expect(Screener.formatScore(100) == "1.00")
        #expect(Screener.formatScore(7) == "0.07")
        #expect(Screener.formatScore(85) == "0.85")
    }
}

/// Random Unicode of every kind (combining marks, bidirectional controls, Hangul, CJK, emoji,
/// look-alikes, invisible and private-use characters) never crashes screening, and scores
/// stay in 0…1 with `1.00` kept for names equal after normalisation.
@Suite struct ScreeningFuzzTests {
    static let ranges: [ClosedRange<UInt32>] = [
        0x20...0x7E, 0x80...0x24F, 0x300...0x36F, 0x370...0x3FF, 0x400...0x4FF, 0x590...0x6FF, 0x1100...0x11FF,
        0x1D00...0x1DBF, 0x2000...0x206F, 0x2460...0x24FF, 0x3000...0x30FF, 0x4E00...0x4E80, 0xAC00...0xACFF,
        0xE000...0xE010, 0xFE00...0xFE0F, 0xFF00...0xFFEF, 0x1D400...0x1D4FF, 0x1F300...0x1F6FF, 0xE0000...0xE007F,
    ]

    static func randomText(_ random: inout SplitMix64) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<(1 + Int(random.next() % 24)) {
            let range = ranges[Int(random.next() % UInt64(ranges.count))]
            let value = range.lowerBound + UInt32(random.next() % UInt64(range.count))
            if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
            if random.next() % 5 == 0 { scalars.append(" ") }
        }
        return String(scalars)
    }

    @Test func randomUnicodeNeverBreaksScreening() {
        var random = SplitMix64(seed: 2397)
        let listed = ["LAZARUS GROUP", "KIM JONG UN", "김정은", "ЛАЗАРУС", "HIDDEN COBRA"].map(ScreenedName.init)
        for _ in 0..<3_000 {
            let text = Self.randomText(&random)
            let name = ScreenedName(text)
            #expect(!name.normalized.hasPrefix(" ") && !name.normalized.hasSuffix(" "))
            #expect(!name.normalized.contains("  "))
            _ = Identifier.canonicalValue(text, kind: nil)
            _ = NameNormalizer.indexTrigrams(name.normalized)
            for other in listed {
                let (score, _) = NameSimilarity.compare(name, other)
                #expect((0...1).contains(score))
                #expect((score == 1) == (name.normalized == other.normalized))
            }
        }
    }
}
