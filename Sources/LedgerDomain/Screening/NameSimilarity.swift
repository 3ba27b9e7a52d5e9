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
    public static func compare(_ query: ScreenedName, _ candidate: ScreenedName) -> (score: Double, rule: MatchRule) {
        if query.normalized == candidate.normalized { return (1, .exact) }
        if query.normalized.isEmpty || candidate.normalized.isEmpty { return (0, .token) }
        let queryWords = query.words
        let candidateWords = candidate.words
        if queryWords.compact == candidateWords.compact { return (0.99, .spacing) }
        var matched = 0.0
        var total = 0.0
        var carrying = 0.0
        var strongest = MatchRule.token
        func side(_ words: NameWords, against other: NameWords) {
            for word in words.words {
                total += word.weight
                var best = (similarity: 0.0, rule: MatchRule.token)
                for partner in other.words {
                    let similarity = NameWords.similarity(word, partner)
                    if similarity.value > best.similarity { best = (similarity.value, similarity.rule) }
                    if best.similarity == 1 { break }
                }
                matched += word.weight * best.similarity
                if best.similarity > 0 && word.canCarry { carrying += word.weight * best.similarity }
                if best.similarity > 0 && best.similarity < 1 && best.rule.strength > strongest.strength {
                    strongest = best.rule
                }
            }
        }
        side(queryWords, against: candidateWords)
        side(candidateWords, against: queryWords)
        guard total > 0 else { return (0, .token) }
        var score = matched / total
        // Only generic words, or only words of one or two letters, matched: no match (unless
        // neither name has any other word: a name made of generic words alone).
        if carrying == 0 && (queryWords.hasCarryingWord || candidateWords.hasCarryingWord) { score = min(score, 0.5) }
        return (min(0.98, score), strongest)
    }

    /// Jaro–Winkler similarity (prefix scale 0.1, prefix up to 4).
    public static func jaroWinkler(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Double {
        let jaro = jaro(a, b)
        var prefix = 0
        while prefix < min(4, a.count, b.count) && a[prefix] == b[prefix] { prefix += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }

    /// Jaro similarity.
    public static func jaro(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        if a.isEmpty || b.isEmpty { return 0 }
        let window = max(0, max(a.count, b.count) / 2 - 1)
        var aMatched = [Bool](repeating: false, count: a.count)
        var bMatched = [Bool](repeating: false, count: b.count)
        var matches = 0
        for i in 0..<a.count {
            let low = max(0, i - window)
            let high = min(b.count - 1, i + window)
            if low > high { continue }
            for j in low...high where !bMatched[j] && a[i] == b[j] {
                aMatched[i] = true
                bMatched[j] = true
                matches += 1
                break
            }
        }
        if matches == 0 { return 0 }
        var transpositions = 0
        var j = 0
        for i in 0..<a.count where aMatched[i] {
            while !bMatched[j] { j += 1 }
            if a[i] != b[j] { transpositions += 1 }
            j += 1
        }
        let m = Double(matches)
        return (m / Double(a.count) + m / Double(b.count) + (m - Double(transpositions / 2)) / m) / 3
    }
}
