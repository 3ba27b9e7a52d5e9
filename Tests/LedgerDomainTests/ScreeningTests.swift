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
            NameSimilarity.jaroWinkler(Array(a.unicodeScalars), Array(b.unicodeScalars))
        }
        #expect(abs(jw("martha", "marhta") - 0.9611) < 0.0001)
        #expect(abs(jw("dwayne", "duane") - 0.84) < 0.0001)
        #expect(abs(jw("dixon", "dicksonx") - 0.8133) < 0.0001)
        #expect(jw("abc", "xyz") == 0)
    }

    @Test func onlyAnExactMatchScoresOne() {
        #expect(NameSimilarity.score("lazarus group", "lazarus group") == 1)
        #expect(NameSimilarity.score("group lazarus", "lazarus group") == 0.99)
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
            ("Lázarus Gróup", "name", "1.00"), ("Lazarus-Group!", "name", "1.00"), ("Group Lazarus", "name", "0.99"),
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

    /// Jaro–Winkler's known weakness: a shared prefix and word lift unrelated names (see the README).
    @Test func sharedPrefixesScoreHigh() {
        #expect(match("Lazio Group")?.score == 90)
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
