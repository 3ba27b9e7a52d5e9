/// The fuzzy name score used in screening: the better of Jaro–Winkler on the normalised
/// strings and Jaro–Winkler on their words sorted (so that "Group Lazarus" finds
/// "Lazarus Group"). An exact normalised match scores 1; anything else at most 0.99.
public enum NameSimilarity {
    /// The score in 0…1 of two normalised names.
    public static func score(_ query: String, _ candidate: String) -> Double {
        score(ScreenedName(value: query, normalized: query), ScreenedName(value: candidate, normalized: candidate))
    }

    /// The score of two names whose normalised and sorted forms are known.
    public static func score(_ query: ScreenedName, _ candidate: ScreenedName) -> Double {
        if query.normalized == candidate.normalized { return 1 }
        if query.normalized.isEmpty || candidate.normalized.isEmpty { return 0 }
        let direct = jaroWinkler(Array(query.normalized.unicodeScalars), Array(candidate.normalized.unicodeScalars))
        let reordered =
            query.sortedTokens == candidate.sortedTokens
            ? 1 : jaroWinkler(Array(query.sortedTokens.unicodeScalars), Array(candidate.sortedTokens.unicodeScalars))
        return min(0.99, max(direct, reordered))
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
