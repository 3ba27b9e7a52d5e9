/// How two normalised names compare when screening, and which rule says so.
public enum MatchRule: String, Sendable {
    /// Equal after normalisation (`1.00`).
    case exact
    /// Equal once the spaces are taken out (`0.99`): words run together or split apart.
    case spacing
    /// The same words, in any order, each with its best partner.
    case token
    /// Words that differ by a letter or two (typing, transliteration).
    case fuzzy
    /// Words that sound alike (a phonetic key).
    case phonetic
    /// Words that are one Korean syllable in two romanisations (KIM/GIM, JONG/JEONG, PAK/PARK).
    case romanisation
    /// Spellings of one given name or article across transliterations (Mohamed/Muhammad, Al/El).
    case variant
    /// An initial for the word it begins (`M.` for Mario).
    case initial
    /// The query holds the listed name whole, with a word or two more.
    case contained
    case identifier
}

/// The fuzzy name score used in screening (contract sections 5 and 11). An exact
/// normalised match scores 1; the same letters with the spaces taken out 0.99; otherwise the
/// names are compared word by word: each word finds its best partner on the other side
/// (equal, the same Korean syllable romanised another way, the same phonetic key, a typing
/// slip, a known abbreviation), and the score is the weighted share of the words of both
/// names that found one, at most 0.98. Generic words of company names (`CORPORATION`,
/// `TRADING`, `BANK`, `KOREA`…) weigh little, so that two names sharing only them do not
/// match; words of one or two letters cannot carry a match alone.
public enum NameSimilarity {
    /// The score in 0…1 of two normalised names.
    public static func score(_ query: String, _ candidate: String) -> Double {
        score(ScreenedName(value: query, normalized: query), ScreenedName(value: candidate, normalized: candidate))
    }

    /// The score of two names whose normalised forms are known.
    public static func score(_ query: ScreenedName, _ candidate: ScreenedName) -> Double {
        compare(query, candidate).score
    }

    /// The score of two names, and the rule that gave it.
    ///
    /// Each word finds its best partner on the other side (a word written as two on the
    /// other side, `AliAkbar` for `Ali Akbar`, finds both). The score is the weighted share
    /// of the words of both names that found one, where a word of the listed name that the
    /// query leaves out (a middle name, a patronymic) costs less than a word the query adds,
    /// as long as the query's own words all match; titles cost nothing. A query that holds
    /// the listed name whole and one or two words more scores at least 0.90 (section 11).
    public static func compare(_ query: ScreenedName, _ candidate: ScreenedName) -> (score: Double, rule: MatchRule) {
        if query.normalized == candidate.normalized { return (1, .exact) }
        if query.normalized.isEmpty || candidate.normalized.isEmpty { return (0, .token) }
        let queryWords = query.words
        let candidateWords = candidate.words
        if queryWords.compact == candidateWords.compact { return (0.99, .spacing) }
        var strongest = MatchRule.token
        // Each pair of words compared once (similarity is symmetric): query word i and
        // candidate word j at i * candidate count + j.
        let queryCount = queryWords.words.count
        let candidateCount = candidateWords.words.count
        // On the stack: a name has a few words, and this runs for every candidate name.
        var (queryFound, candidateFound) = withUnsafeTemporaryAllocation(
            of: (value: Double, rule: MatchRule).self, capacity: queryCount * candidateCount
        ) { pairs in
            queryWords.scalars.withUnsafeBufferPointer { queryLetters in
                candidateWords.scalars.withUnsafeBufferPointer { candidateLetters in
                    for (i, word) in queryWords.words.enumerated() {
                        for (j, partner) in candidateWords.words.enumerated() {
                            (pairs.baseAddress! + i * candidateCount + j).initialize(
                                to: NameWords.similarity(word, queryLetters, partner, candidateLetters))
                        }
                    }
                }
            }
            /// Each word of `words` with its best partner's similarity in `other` (a word written
            /// as two or three run together counts too), and whether only an initial found it.
            func best(
                _ words: NameWords, against other: NameWords, pair: (Int, Int) -> (value: Double, rule: MatchRule)
            )
                -> [(similarity: Double, byInitial: Bool)]
            {
                var found: [(similarity: Double, byInitial: Bool)] = []
                found.reserveCapacity(words.words.count)
                for (i, word) in words.words.enumerated() {
                    var best = (similarity: 0.0, rule: MatchRule.token)
                    for j in 0..<other.words.count {
                        var similarity = pair(i, j)
                        // A whole word found only by an initial is found weakly: `A.` may be anyone's.
                        if similarity.rule == .initial && !word.isInitial { similarity.value = 0.5 }
                        if similarity.value > best.similarity { best = (similarity.value, similarity.rule) }
                        if best.similarity == 1 { break }
                    }
                    if best.similarity < 0.95, word.count >= 4, NameWords.isRunTogether(word, in: other) {
                        best = (0.97, .spacing)
                    }
                    found.append((best.similarity, best.rule == .initial && !word.isInitial))
                    if best.similarity > 0 && best.similarity < 1 && best.rule.strength > strongest.strength {
                        strongest = best.rule
                    }
                }
                return found
            }
            return (
                best(queryWords, against: candidateWords) { pairs[$0 * candidateCount + $1] },
                best(candidateWords, against: queryWords) { pairs[$1 * candidateCount + $0] }
            )
        }
        // Words run together on this side, written apart on the other: each part is found.
        NameWords.markParts(of: queryWords, runTogetherIn: candidateWords, found: &queryFound)
        NameWords.markParts(of: candidateWords, runTogetherIn: queryWords, found: &candidateFound)
        /// Whether a word is found well enough to count as there: by a whole word, not only by
        /// an initial.
        func isThere(_ found: (similarity: Double, byInitial: Bool)) -> Bool {
            found.similarity >= 0.85 && !found.byInitial
        }

        var matched = 0.0
        var total = 0.0
        var carrying = 0.0
        for (word, found) in zip(queryWords.words, queryFound) where !word.isTitle {
            total += word.weight
            matched += word.weight * found.similarity
            if found.similarity > 0 && word.canCarry && !found.byInitial { carrying += word.weight * found.similarity }
        }
        // The query's words all there as written (or as variants, romanisations), one of them
        // more than a given name: the listed name's words it leaves out (a middle name, a
        // patronymic) cost less: the first a third, any other seven tenths (a generic word the
        // query leaves out costs what it weighs).
        let queryWhole = zip(queryWords.words, queryFound).allSatisfy {
            $0.isTitle || ($1.similarity >= 0.95 && !$1.byInitial)
        }
        let queryHasSurname = queryWords.words.contains { $0.canCarry && $0.variant == 0 }
        var missing = 0
        var unmatched = 0
        for (word, found) in zip(candidateWords.words, candidateFound) where !word.isTitle {
            if found.similarity == 0 && word.canCarry { unmatched += 1 }
            if found.similarity == 0 && queryWhole && queryHasSurname && word.canCarry {
                total += word.weight * (missing == 0 ? 0.3 : 0.7)
                missing += 1
                continue
            }
            total += word.weight
            matched += word.weight * found.similarity
            if found.similarity > 0 && word.canCarry && !found.byInitial { carrying += word.weight * found.similarity }
        }
        guard total > 0 else { return (0, .token) }
        var score = matched / total
        var queryCarrying = 0
        var queryGivenNamesOnly = true
        for word in queryWords.words where word.canCarry {
            queryCarrying += 1
            if word.variant == 0 { queryGivenNamesOnly = false }
        }
        // One word of a listed name that has other distinctive words is a lead, not a match;
        // so is a given name alone.
        if unmatched > 0 && queryCarrying < 2 { score = min(score, 0.75) }
        if queryCarrying == 1, queryGivenNamesOnly { score = min(score, 0.8) }
        // The listed name whole in the query (each of its words there, as written or as a
        // variant or romanisation of it), with one or two words more: at least 0.90.
        var extra = 0
        for (word, found) in zip(queryWords.words, queryFound) where !word.isTitle && !isThere(found) { extra += 1 }
        let candidateWhole = zip(candidateWords.words, candidateFound).allSatisfy {
            $0.isTitle || ($1.similarity >= 0.95 && !$1.byInitial)
        }
        // A listed name of two words or more, one of them a word of five letters or more that
        // is no given name: one word, or given names alone, are held by too many other names.
        let distinctive =
            candidateWords.words.lazy.filter { !$0.isTitle }.count >= 2
            && candidateWords.words.contains { $0.canCarry && $0.variant == 0 && $0.count >= 5 }
        if candidateWhole && distinctive && (1...2).contains(extra) {
            let floor = extra == 1 ? 0.92 : 0.90
            if score < floor {
                score = floor
                strongest = .contained
            }
        }
        // Only generic words, or only words of one or two letters, matched: no match (unless
        // neither name has any other word: a name made of generic words alone).
        if carrying == 0 && (queryWords.hasCarryingWord || candidateWords.hasCarryingWord) { score = min(score, 0.5) }
        return (min(0.98, score), strongest)
    }

    /// Jaro–Winkler similarity (prefix scale 0.1, prefix up to 4).
    public static func jaroWinkler(_ a: UnsafeBufferPointer<Unicode.Scalar>, _ b: UnsafeBufferPointer<Unicode.Scalar>)
        -> Double
    {
        let jaro = jaro(a, b)
        var prefix = 0
        while prefix < min(4, a.count, b.count) && a[prefix] == b[prefix] { prefix += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }

    /// Jaro similarity.
    public static func jaro(_ a: UnsafeBufferPointer<Unicode.Scalar>, _ b: UnsafeBufferPointer<Unicode.Scalar>)
        -> Double
    {
        if a.isEmpty && b.isEmpty { return 1 }
        if a.isEmpty || b.isEmpty { return 0 }
        let window = max(0, max(a.count, b.count) / 2 - 1)
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: a.count + b.count) { flags in
            flags.initialize(repeating: false)
            var matches = 0
            for i in 0..<a.count {
                let low = max(0, i - window)
                let high = min(b.count - 1, i + window)
                if low > high { continue }
                for j in low...high where !flags[a.count + j] && a[i] == b[j] {
                    flags[i] = true
                    flags[a.count + j] = true
                    matches += 1
                    break
                }
            }
            if matches == 0 { return 0 }
            var transpositions = 0
            var j = 0
            for i in 0..<a.count where flags[i] {
                while !flags[a.count + j] { j += 1 }
                if a[i] != b[j] { transpositions += 1 }
                j += 1
            }
            let m = Double(matches)
            return (m / Double(a.count) + m / Double(b.count) + (m - Double(transpositions / 2)) / m) / 3
        }
    }
}
