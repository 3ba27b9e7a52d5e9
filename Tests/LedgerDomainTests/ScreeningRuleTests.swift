import Testing

@testable import LedgerDomain

/// The rules of screening a careful analyst would trust (contract section 11; issue 25), one
/// test each: what the names of real lists need, and what must never alert.
@Suite struct ScreeningRuleTests {
    /// A designation added with `data`, as screening reads it.
    static func standing(_ data: String) -> DesignationStanding<ScreenedName>? {
        guard case .object(let object)? = try? StrictJSONReader().read(data),
            case .designationAdded(let added)? = EventContent(type: .designationAdded, json: object).payload
        else { return nil }
        return DesignationStanding([.added(DesignationAddition(added, name: ScreenedName.init))])
    }

    func score(_ query: String, _ listed: String) -> Int {
        Screener.hundredths(NameSimilarity.score(ScreenedName(query), ScreenedName(listed)))
    }

    @Test func aWordOfTheListedNameLeftOutCostsLessThanAWordAdded() {
        // A middle name or patronymic left out: still a match.
        #expect(score("Nicolas MADURO", "MADURO MOROS, Nicolas") >= 85)
        #expect(score("Svetlana SAVCHENKO", "SAVCHENKO, Svetlana Borisovna") >= 85)
        // The same words, one added on the query's side instead: less.
        #expect(
            score("Svetlana Borisovna SAVCHENKO", "SAVCHENKO, Svetlana")
                < score("Svetlana SAVCHENKO", "SAVCHENKO, Svetlana Borisovna"))
        // Given names alone, or one word of a longer name, are not enough.
        #expect(score("Mohamad Javad", "JAFARI, Mohammad Javad") < 85)
        #expect(score("SAVCHENKO", "SAVCHENKO, Svetlana Borisovna") < 85)
    }

    @Test func anInitialMatchesItsWordButNeverCarriesAMatch() {
        #expect(score("Joaquin M. VALENCIA TRUJILLO", "VALENCIA TRUJILLO, Joaquin Mario") >= 85)
        #expect(score("J. M. VALENCIA", "VALENCIA TRUJILLO, Joaquin Mario") < 85)
        #expect(score("Mia B. Love", "BOYACO") < 85)
        #expect(score("J. D. Vance", "DON JULIO") < 85)
    }

    @Test func legalFormsAndTheirVariantsAreGeneric() {
        for form in ["S.A.", "SA", "SAL", "LLC", "Ltd.", "JSC", "OOO", "GmbH", "S.A.R.L."] {
            #expect(score("GREEN ISLAND", "GREEN ISLAND \(form)") >= 90, "\(form)")
        }
        #expect(score("ACME TRADING LLC", "LAZARUS TRADING LLC") < 85)
    }

    @Test func givenNamesMatchAcrossTheirSpellings() {
        for (query, listed) in [
            ("Muhammad Shafiq", "MOHAMMED SHAFIQ"), ("Aly Youssef CHARARA", "CHARARA, Ali Youssef"),
            ("Umar Abdullah", "OMAR ABDALLAH"), ("Yousef MURAJ", "MURAJ, Yusuf"),
            ("Nawfal Hammadi EL-SULTAN", "AL-SULTAN, Nawfal Hammadi"),
        ] {
            #expect(score(query, listed) >= 85, "\(query)")
        }
        // A given name alone never alerts.
        #expect(score("Mohammed", "MOHAMMED") >= 100)  // an exact name is exact…
        #expect(score("Mohamed", "MUHAMMAD") < 85)  // …but a given name by its variants is not enough
    }

    @Test func arabicScriptIsReadWithTheVowelsOfCommonNames() {
        #expect(score("محمد علي", "MUHAMMAD ALI") >= 85)
    }

    @Test func cyrillicSpellingsOfKoreanSyllablesMeetTheirRomanisations() {
        for (query, listed) in [
            ("КИМ ЧЕН ЫН", "KIM JONG UN"), ("КИМ ЧОН ЫН", "KIM JONG UN"), ("ЧХВЕ РЁН ХЭ", "CHOE RYONG HAE"),
            ("ХО ЁН ИЛЬ", "HO, Yong Il"), ("ХАН ЧЖАН СУ", "HAN JANG SU"), ("Пэк Се Бон", "PAEK SE BONG"),
        ] {
            #expect(score(query, listed) >= 85, "\(query)")
        }
    }

    @Test func koreanNamesOfOrganisationsReadAsTheirEnglishNames() {
        for (query, listed) in [
            ("조선대성은행", "KOREA DAESONG BANK"), ("동방은행", "BANK OF EAST LAND"), ("단천상업은행", "TANCHON COMMERCIAL BANK"),
            ("강봉무역회사", "KANGBONG TRADING CORPORATION"), ("국가보위성", "MINISTRY OF STATE SECURITY"),
        ] {
            #expect(score(query, listed) >= 85, "\(query)")
        }
        // A person's name in Hangul stays syllable by syllable.
        #expect(score("김정은", "KIM JONG UN") >= 85)
        #expect(score("김정은", "KOREA KWANGSON BANKING CORPORATION") < 50)
    }

    @Test func aListedNameWholeInTheQueryWithAWordOrTwoMoreScoresAtLeastNinety() {
        #expect(score("TORNADO CASH NOVA", "TORNADO CASH") >= 90)
        #expect(score("Dr. TORNADO CASH NOVA PROTOCOL", "TORNADO CASH") >= 90)
        #expect(score("TORNADO CASH NOVA PROTOCOL FUND", "TORNADO CASH") < 90)
        // A listed name of one word, or of given names alone, is held by too many names.
        #expect(score("Daniel Webster", "DANIEL") < 85)
        #expect(score("Ali Khanaman Mohammadi", "MOHAMMED, Ali") < 85)
    }

    @Test func thePhoneticKeyNeverLiftsDifferentWordsAboveATypo() {
        #expect(score("ZHEN I", "SONIA I") < 85)
        #expect(score("Frank Crow", "FRANK KAKORERE") < 85)
        #expect(score("Bluenorof", "BLUENOROFF") >= 85)
    }

    @Test func wordsRunTogetherOrWrittenApartMeet() {
        #expect(score("AliAkbar VELAYATI", "VELAYATI, Ali Akbar") >= 85)
        #expect(score("Jerome KAKWAVU BUKANDE", "KAKWAVUBUKANDE, Jerome") >= 85)
    }

    @Test func aWeakAliasIsALeadNeverAnAlert() throws {
        let added = try #require(
            Self.standing(
                #"{"list":"UN-CAR","entity":"JEAN-PIERRE EXEMPLE","entity_type":"individual","aliases":[],"weak_aliases":["Le Colonel"],"identifiers":[]}"#
            ))
        #expect(Screener(query: "Le Colonel", threshold: 0.85).match(added, designation: "d") == nil)
        let lead = Screener(query: "Le Colonel", threshold: 0.5).match(added, designation: "d")
        #expect(lead?.score == 80 && lead?.matchedOn == .alias)
    }

    @Test func aRightToLeftOverrideIsReadBothWays() throws {
        let listed = try #require(
            Self.standing(
                #"{"list":"OFAC-SDN","entity":"LAZARUS GROUP","entity_type":"organization","aliases":[],"identifiers":[]}"#
            ))
        // Displayed: the override's run reversed; logical: as the bytes go.
        #expect(Screener(query: "\u{202E}PUORG SURAZAL", threshold: 0.85).match(listed, designation: "d") != nil)
        #expect(
            Screener(query: "LAZARUS \u{202E}GROUP\u{202C}", threshold: 0.85).match(listed, designation: "d") != nil)
    }

    @Test func identifierQueriesAreReadAsPeoplePasteThem() {
        let eth = Identifier(kind: .ethAddress, value: "0x098B716B8Aaf21512996dC57EB0615e2383E2f96")
        for query in [
            "ethereum:0x098b716b8aaf21512996dc57eb0615e2383e2f96?value=1e18",
            "eth:0x098B716B8Aaf21512996dC57EB0615e2383E2f96@1", "\"0x098B716B8Aaf21512996dC57EB0615e2383E2f96\",",
            "0x098B 716B 8Aaf 2151 2996 dC57 EB06 15e2 383E 2f96", "098b716b8aaf21512996dc57eb0615e2383e2f96",
            "0x098b716b8ааf21512996dc57eb0615e2383e2f96",  // Cyrillic а
        ] {
            #expect(IdentifierQuery(query).matches(eth), "\(query)")
        }
        #expect(
            IdentifierQuery("bitcoin:bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh?amount=1").matches(
                Identifier(kind: .btcAddress, value: "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh")))
        #expect(IdentifierQuery("IMO 9187629").matches(Identifier(kind: .imo, value: "9187629")))
        #expect(IdentifierQuery("ab-123 456").matches(Identifier(kind: .passport, value: "AB 123456")))
        #expect(!IdentifierQuery("Lazarus Group").matches(Identifier(kind: .passport, value: "LAZARUSGROUP")))
    }
}
