import LedgerDomain

/// A seeded pseudo-random generator (SplitMix64): the same seed gives the same ledger.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}

/// A realistic, reproducible mix of events in the contract's format: resolutions with
/// obligations, actors, designations with aliases and addresses (some amended, some removed),
/// incidents with one to three attributions, corrections and retractions, statements,
/// figures and compliance reports, known over twenty years, some published late.
struct LedgerGenerator {
    var random: SeededRandom
    let total: Int
    let designations: Int
    private(set) var produced = 0

    static let syllables = [
        "ka", "ri", "mo", "zan", "lu", "ter", "vin", "so", "dak", "el", "ha", "no", "pyo", "gun", "chol", "ma", "ra",
        "sun", "bel", "tor", "ix", "ven", "qua", "lor", "an", "dre", "ko", "yu", "shi", "ba",
    ]
    static let words = [
        "Trading", "Shipping", "Group", "Holdings", "Bank", "Bureau", "Team", "Company", "Network", "Exchange",
        "Partners", "Logistics", "Capital", "Industries", "Maritime",
    ]
    static let publishers = [
        "Reuters", "Federal Bureau of Investigation", "U.S. Department of the Treasury", "UN Panel of Experts",
        "Chainalysis", "Elliptic", "Associated Press", "Yonhap", "Kyodo", "Mandiant",
    ]

    init(events: Int, designations: Int, seed: UInt64) {
        random = SeededRandom(state: seed)
        total = events
        self.designations = min(designations, max(0, events / 3))
    }

    mutating func name(_ parts: Int) -> String {
        (0..<parts).map { _ in
            let word = (0..<(2 + random.below(2))).map { _ in Self.syllables[random.below(Self.syllables.count)] }
                .joined()
            return word.prefix(1).uppercased() + word.dropFirst()
        }.joined(separator: " ")
    }

    mutating func day(from: Int = 2006, to: Int = 2025) -> Day {
        Day(year: from + random.below(to - from + 1), month: 1 + random.below(12), day: 1 + random.below(28))!
    }

    /// A source: a publisher, usually a title, and sometimes a `published_on` later than the event.
    mutating func source(_ occurred: Day) -> String {
        let publisher = Self.publishers[random.below(Self.publishers.count)]
        if random.chance(30) {
            let year = min(2025, occurred.year + random.below(3))
            var published = Day(year: year, month: 1 + random.below(12), day: 1 + random.below(28))!
            if published < occurred { published = occurred }
            return
                #"{"publisher":"\#(publisher)","title":"Report \#(random.below(100_000))","published_on":"\#(published)"}"#
        }
        return #"{"publisher":"\#(publisher)","title":"Report \#(random.below(100_000))"}"#
    }

    mutating func hex(_ count: Int) -> String {
        let digits = Array("0123456789abcdef")
        return String((0..<count).map { _ in digits[random.below(16)] })
    }

    func line(_ id: String, _ type: String, _ stream: String, _ occurred: Day, _ source: String, _ data: String)
        -> String
    {
        #"{"id":"\#(id)","type":"\#(type)","stream":"\#(stream)","occurred_on":"\#(occurred)","source":\#(source),"data":\#(data)}"#
    }

    /// Calls `emit` with every line, in an order that appends cleanly.
    mutating func generate(_ emit: (String) -> Void) {
        let resolutions = max(1, min(50, total / 1000))
        let actors = max(1, min(500, total / 200))
        var count = 0
        func put(_ text: String) {
            emit(text)
            count += 1
        }
        var obligationsOf: [[String]] = []
        for index in 0..<resolutions {
            let occurred = day(from: 2006, to: 2020)
            let resolution = resolutionData(index: index, year: occurred.year) { $0.day(from: occurred.year, to: 2025) }
            obligationsOf.append(resolution.obligations)
            put(
                line(
                    "res-\(index)", "resolution.adopted", "resolution/r\(index)", occurred, source(occurred),
                    resolution.data))
        }
        for index in 0..<actors {
            let occurred = day()
            put(
                line(
                    "actor-\(index)", "actor.identified", "actor/a\(index)", occurred, source(occurred),
                    actorData()))
        }
        for index in 0..<designations {
            let occurred = day()
            let aliases = (0..<(1 + random.below(3))).map { _ in "\"\(name(2))\"" }.joined(separator: ",")
            let identifiers = (0..<random.below(3)).map { _ in
                random.chance(60)
                    ? #"{"kind":"eth_address","value":"0x\#(hex(40))"}"#
                    : #"{"kind":"btc_address","value":"bc1q\#(hex(38))"}"#
            }.joined(separator: ",")
            let entity = "\(name(2)) \(Self.words[random.below(Self.words.count)])"
            put(
                line(
                    "des-\(index)", "designation.added", "designation/d\(index)", occurred, source(occurred),
                    #"{"list":"\#(random.chance(70) ? "OFAC-SDN" : "UN-1718")","entity":"\#(entity)","entity_type":"organization","aliases":[\#(aliases)],"identifiers":[\#(identifiers)],"program":"DPRK3"}"#
                ))
            if random.chance(5) {
                let later = day(from: occurred.year, to: 2025)
                put(
                    line(
                        "des-\(index)-amended", "designation.amended", "designation/d\(index)", max(later, occurred),
                        source(max(later, occurred)),
                        #"{"add_identifiers":[{"kind":"eth_address","value":"0x\#(hex(40))"}],"add_aliases":["\#(name(2))"]}"#
                    ))
            }
            if random.chance(2) {
                let later = max(day(from: occurred.year, to: 2025), occurred)
                put(
                    line(
                        "des-\(index)-removed", "designation.removed", "designation/d\(index)", later, source(later),
                        #"{"reason":"delisted"}"#))
            }
        }
        var incident = 0
        var statement = 0
        var figure = 0
        var compliance = 0
        while count < total {
            let roll = random.below(100)
            if roll < 2 {
                let occurred = day()
                put(
                    line(
                        "stmt-\(statement)", "statement.issued", "statement/s\(statement)", occurred, source(occurred),
                        statementData(actors: actors)
                    ))
                statement += 1
            } else if roll < 3 {
                let occurred = day()
                put(
                    line(
                        "fig-\(figure)", "figure.reported", "figure/f\(figure)", occurred, source(occurred),
                        figureData()
                    ))
                figure += 1
            } else if roll < 5 {
                let resolution = random.below(resolutions)
                let obligations = obligationsOf[resolution]
                let occurred = day(from: 2018, to: 2025)
                put(
                    line(
                        "comp-\(compliance)", "compliance.reported", "resolution/r\(resolution)", occurred,
                        source(occurred),
                        complianceData(obligations: obligations)
                    ))
                compliance += 1
            } else {
                let stream = "incident/i\(incident)"
                let occurred = day()
                put(
                    line(
                        "inc-\(incident)", "theft.reported", stream, occurred, source(occurred),
                        theftData()
                    ))
                for attribution in 0..<(1 + random.below(3)) where count < total {
                    let later = max(day(from: occurred.year, to: 2025), occurred)
                    put(
                        line(
                            "inc-\(incident)-attr-\(attribution)", "attribution.made", stream, later, source(later),
                            attributionData(actors: actors)
                        ))
                }
                if random.chance(4) && count < total {
                    let later = max(day(from: occurred.year, to: 2025), occurred)
                    put(
                        line(
                            "inc-\(incident)-corr", "event.corrected", stream, later, source(later),
                            #"{"target":"inc-\#(incident)","patch":{"amount_usd":\#(random.below(700_000_000))},"reason":"revised"}"#
                        ))
                }
                if random.chance(3) && count < total {
                    let later = max(day(from: occurred.year, to: 2025), occurred)
                    put(
                        line(
                            "inc-\(incident)-retr", "event.retracted", stream, later, source(later),
                            #"{"target":"inc-\#(incident)-attr-0","reason":"withdrawn"}"#))
                }
                incident += 1
            }
        }
        produced = count
    }

    /// Calls `emit` with a ledger of one long stream: a resolution taking `events - 1`
    /// compliance reports, or an incident taking attributions and corrections (of the theft
    /// and of its attributions), known on scattered days.
    mutating func generateLongStream(_ kind: LongStream, _ emit: (String) -> Void) {
        var count = 0
        func put(_ text: String) {
            emit(text)
            count += 1
        }
        switch kind {
        case .resolution:
            let occurred = Day(year: 2017, month: 12, day: 22)!
            put(
                line(
                    "long-res", "resolution.adopted", "resolution/long", occurred, source(occurred),
                    #"{"symbol":"S/RES/2397 (2017)","body":"United Nations Security Council","title":"Non-proliferation","obligations":[{"id":"ob-0","summary":"Repatriate","deadline":"2019-12-22"},{"id":"ob-1","summary":"Cap"}]}"#
                ))
            while count < total {
                let reported = day(from: 2018, to: 2025)
                put(
                    line(
                        "long-comp-\(count)", "compliance.reported", "resolution/long", reported, source(reported),
                        #"{"obligation":"ob-\#(random.below(2))","party":"\#(["RU", "CN", "AE", "VN"][random.below(4)])","status":"\#(["complied", "partial", "violated"][random.below(3)])","summary":"Reported"}"#
                    ))
            }
        case .incident:
            for index in 0..<3 {
                let occurred = day(from: 2006, to: 2015)
                put(
                    line(
                        "long-actor-\(index)", "actor.identified", "actor/long-\(index)", occurred, source(occurred),
                        #"{"name":"\#(name(2)) Group","aliases":[],"sponsor_state":"KP"}"#))
            }
            let occurred = Day(year: 2016, month: 2, day: 4)!
            put(
                line(
                    "long-inc", "theft.reported", "incident/long", occurred, source(occurred),
                    #"{"victim":"Central Bank","victim_country":"BD","amount_usd":81000000,"assets":["USD"],"methods":["SWIFT"]}"#
                ))
            var attributions: [String] = []
            while count < total {
                let later = day(from: 2016, to: 2025)
                let roll = random.below(4)
                if roll < 2 || attributions.isEmpty {
                    let id = "long-attr-\(count)"
                    attributions.append(id)
                    put(
                        line(
                            id, "attribution.made", "incident/long", later, source(later),
                            #"{"actor":"actor/long-\#(random.below(3))","attributed_by":"\#(Self.publishers[random.below(Self.publishers.count)])","confidence":"\#(["confirmed", "assessed", "alleged"][random.below(3)])"}"#
                        ))
                } else if roll == 2 {
                    put(
                        line(
                            "long-corr-\(count)", "event.corrected", "incident/long", later, source(later),
                            #"{"target":"long-inc","patch":{"amount_usd":\#(random.below(700_000_000))},"reason":"revised"}"#
                        ))
                } else {
                    let target = attributions[attributions.count - 1 - random.below(min(attributions.count, 20))]
                    put(
                        line(
                            "long-corr-\(count)", "event.corrected", "incident/long", later, source(later),
                            #"{"target":"\#(target)","patch":{"confidence":"\#(["confirmed", "assessed", "alleged"][random.below(3)])"},"reason":"revised"}"#
                        ))
                }
            }
        }
        produced = count
    }
}

extension LedgerGenerator {
    // The data of each event type, written once for both mixes (the same draws in the same
    // order as the lines were written before, so a seed gives the same ledger).

    mutating func actorData() -> String {
        #"{"name":"\#(name(2)) Group","aliases":["\#(name(1))","\#(name(2))"],"sponsor_state":"KP"}"#
    }

    mutating func theftData() -> String {
        #"{"victim":"\#(name(1)) \#(Self.words[random.below(Self.words.count)])","victim_country":"\#(["JP", "US", "KR", "SG", "VN"][random.below(5)])","amount_usd":\#(random.below(700_000_000)),"assets":["ETH","USDC"],"methods":["phishing"]}"#
    }

    mutating func attributionData(actors: Int) -> String {
        #"{"actor":"actor/a\#(random.below(actors))","attributed_by":"\#(Self.publishers[random.below(Self.publishers.count)])","confidence":"\#(["confirmed", "assessed", "alleged"][random.below(3)])"}"#
    }

    mutating func statementData(actors: Int) -> String {
        #"{"issuers":["\#(name(2)) Ministry"],"kind":"press-release","summary":"On \#(name(3).lowercased())","mentions":["actor/a\#(random.below(actors))"]}"#
    }

    mutating func figureData() -> String {
        #"{"metric":"crypto_stolen_usd","subject":"KP","period":"\#(2006 + random.below(20))","value":\#(random.below(2_000_000_000))}"#
    }

    mutating func complianceData(obligations: [String]) -> String {
        #"{"obligation":"\#(obligations[random.below(obligations.count)])","party":"\#(["RU", "CN", "AE", "VN"][random.below(4)])","status":"\#(["complied", "partial", "violated"][random.below(3)])","summary":"Reported"}"#
    }

    /// A resolution adopted in `year`, with one to four obligations, half of them with a
    /// deadline drawn by `deadline`; its obligation ids.
    mutating func resolutionData(index: Int, year: Int, deadline: (inout LedgerGenerator) -> Day)
        -> (data: String, obligations: [String])
    {
        let obligations = (0..<(1 + random.below(4))).map { "ob-\($0)" }
        var list: [String] = []
        for id in obligations {
            let due = random.chance(50) ? #","deadline":"\#(deadline(&self))""# : ""
            list.append(#"{"id":"\#(id)","summary":"Member States shall \#(name(2).lowercased())"\#(due)}"#)
        }
        let data =
            #"{"symbol":"S/RES/\#(2000 + index) (\#(year))","body":"United Nations Security Council","title":"Non-proliferation","obligations":[\#(list.joined(separator: ","))]}"#
        return (data, obligations)
    }
}

/// The long-stream cases of `make bench`.
enum LongStream: String, CaseIterable {
    case resolution, incident
}

extension LedgerGenerator {
    /// Calls `emit` with issue 26's realistic mix: 20 resolutions and 200 actors first; then
    /// 40 % new thefts, 30 % attributions to a uniformly random earlier incident, 15 %
    /// designations (an alias and an eth address each), 5 % corrections of a random earlier
    /// theft's amount, 5 % compliance reports over the 20 resolutions, 3 % statements and 2 %
    /// figures; valid days uniform over 20 years, 30 % with a `published_on` up to 400 days later.
    /// Unlike `generate`, it leaves nothing in order for the store: attributions and corrections
    /// land on old streams, and every view is written at random keys.
    mutating func generateRealistic(_ emit: (String) -> Void) {
        var count = 0
        func put(_ text: String) {
            emit(text)
            count += 1
        }
        let span = 20 * 365
        func anyDay() -> Day { Day(daysAfter2006: random.below(span)) }
        func source(_ occurred: Day) -> String {
            let publisher = Self.publishers[random.below(Self.publishers.count)]
            let title = "Report \(random.below(100_000))"
            if random.chance(30) {
                let published = occurred.adding(days: random.below(401))
                return #"{"publisher":"\#(publisher)","title":"\#(title)","published_on":"\#(published)"}"#
            }
            return #"{"publisher":"\#(publisher)","title":"\#(title)"}"#
        }
        let resolutions = 20
        let actors = 200
        var obligationsOf: [[String]] = []
        for index in 0..<resolutions where count < total {
            let occurred = anyDay()
            let resolution = resolutionData(index: index, year: occurred.year) {
                Day(daysAfter2006: $0.random.below(span))
            }
            obligationsOf.append(resolution.obligations)
            put(
                line(
                    "res-\(index)", "resolution.adopted", "resolution/r\(index)", occurred, source(occurred),
                    resolution.data))
        }
        for index in 0..<actors where count < total {
            let occurred = anyDay()
            put(
                line(
                    "actor-\(index)", "actor.identified", "actor/a\(index)", occurred, source(occurred),
                    actorData()))
        }
        var incidents = 0
        var designations = 0
        var statements = 0
        var figures = 0
        while count < total {
            let roll = random.below(100)
            let occurred = anyDay()
            if roll < 40 || incidents == 0 {
                put(
                    line(
                        "inc-\(incidents)", "theft.reported", "incident/i\(incidents)", occurred, source(occurred),
                        theftData()
                    ))
                incidents += 1
            } else if roll < 70 {
                let incident = random.below(incidents)
                put(
                    line(
                        "attr-\(count)", "attribution.made", "incident/i\(incident)", occurred, source(occurred),
                        attributionData(actors: actors)
                    ))
            } else if roll < 85 {
                let entity = "\(name(2)) \(Self.words[random.below(Self.words.count)])"
                put(
                    line(
                        "des-\(designations)", "designation.added", "designation/d\(designations)", occurred,
                        source(occurred),
                        #"{"list":"\#(random.chance(70) ? "OFAC-SDN" : "UN-1718")","entity":"\#(entity)","entity_type":"organization","aliases":["\#(name(2))"],"identifiers":[{"kind":"eth_address","value":"0x\#(hex(40))"}],"program":"DPRK3"}"#
                    ))
                designations += 1
            } else if roll < 90 {
                let incident = random.below(incidents)
                put(
                    line(
                        "corr-\(count)", "event.corrected", "incident/i\(incident)", occurred, source(occurred),
                        #"{"target":"inc-\#(incident)","patch":{"amount_usd":\#(random.below(700_000_000))},"reason":"revised"}"#
                    ))
            } else if roll < 95 {
                let resolution = random.below(obligationsOf.count)
                let obligations = obligationsOf[resolution]
                put(
                    line(
                        "comp-\(count)", "compliance.reported", "resolution/r\(resolution)", occurred, source(occurred),
                        complianceData(obligations: obligations)
                    ))
            } else if roll < 98 {
                put(
                    line(
                        "stmt-\(statements)", "statement.issued", "statement/s\(statements)", occurred,
                        source(occurred),
                        statementData(actors: actors)
                    ))
                statements += 1
            } else {
                put(
                    line(
                        "fig-\(figures)", "figure.reported", "figure/f\(figures)", occurred, source(occurred),
                        figureData()
                    ))
                figures += 1
            }
        }
        produced = count
    }
}

extension Day {
    /// The day `offset` days after 2006-01-01.
    init(daysAfter2006 offset: Int) {
        self = Day(year: 2006, month: 1, day: 1)!.adding(days: offset)
    }

    /// The day `days` days later.
    func adding(days: Int) -> Day {
        var (year, month, day, left) = (self.year, self.month, self.day, days)
        while left > 0 {
            let inMonth = Day.daysIn(month, year)
            if day + left <= inMonth { return Day(year: year, month: month, day: day + left)! }
            left -= inMonth - day + 1
            day = 1
            month += 1
            if month > 12 { (month, year) = (1, year + 1) }
        }
        return Day(year: year, month: month, day: day)!
    }

    private static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
