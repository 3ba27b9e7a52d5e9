import Foundation
import LedgerDomain

/// Screening of many queries against one ledger as of one day: the statements are prepared
/// once and each designation's standing, once read from its terms, is kept for the next
/// query (a customer file screens thousands of names in one run).
public final class ScreeningSession {
    private let ledger: Ledger
    private let asOf: Day
    /// The index's statements; nil in a ledger from before the index (judged by a fold).
    private let statements: Statements?
    private struct Statements {
        var identifiers: any SQLStatement
        var exactNames: any SQLStatement
        var counts: any SQLStatement
        var postings: any SQLStatement
        var terms: any SQLStatement
        var names: any SQLStatement
    }
    /// Standings read so far, shared by the sessions that screen one file together.
    private let standings: StandingCache
    /// Per stream id, how many of a query's trigrams it shares (zeroed after each query).
    private var sharedCounts: [UInt8] = []

    /// How many name candidates (those sharing the most trigrams with the query) that stand
    /// active on the day are judged.
    static let screeningCandidates = 40

    /// How many index entries a query's trigrams may bring at most (the rarest go first).
    static let screeningPostings: Int64 = 20_000

    /// A session of its own, or one that shares `sharing`'s standings (the same day, another
    /// connection to the same ledger: sessions of one file, one a core).
    public init(ledger: Ledger, asOf: Day, sharing: ScreeningSession? = nil) throws {
        precondition(sharing == nil || sharing?.asOf == asOf, "sessions share standings of one day")
        self.ledger = ledger
        self.asOf = asOf
        standings = sharing?.standings ?? StandingCache()
        let database = ledger.database
        guard ledger.hasViews else {
            statements = nil
            return
        }
        statements = Statements(
            identifiers: try database.prepare("SELECT stream_id FROM screen_identifiers WHERE key = ?1"),
            exactNames: try database.prepare(
                """
                SELECT stream_id FROM designation_terms WHERE normalized = ?1
                UNION SELECT stream_id FROM designation_terms WHERE sorted_tokens = ?2
                """),
            counts: try database.prepare("SELECT streams FROM screen_trigram_counts WHERE trigram = ?1"),
            postings: try database.prepare("SELECT bucket, stream_ids FROM screen_postings WHERE trigram = ?1"),
            terms: try database.prepare(
                """
                SELECT seq, role, value, detail, normalized, sorted_tokens FROM designation_terms
                WHERE stream_id = ?1 AND from_day <= ?2 AND to_day > ?2 AND from_seq <= ?3 AND to_seq > ?3
                ORDER BY seq, position
                """),
            names: try database.prepare("SELECT name FROM streams WHERE stream_id = ?1"))
    }

    /// Designations matching `screener`'s query, best first (contract sections 5 and 11).
    public func screen(_ screener: Screener) throws -> [ScreeningMatch] {
        var matches: [ScreeningMatch] = []
        guard let statements else {
            // A ledger from before the index: judge every designation, folded from the log.
            try ledger.entities(asOf: asOf, atSeq: nil).forEachEntity(of: .designation) { snapshot in
                if let match = screener.match(snapshot) { matches.append(match) }
            }
            return Screener.ordered(matches)
        }
        let identifiers = statements.identifiers
        var candidates: [Int64] = []
        for key in screener.identifierQuery.indexKeys {
            identifiers.reset()
            try identifiers.bind(key, at: 1)
            while try identifiers.step() { candidates.append(identifiers.int64(0)) }
        }
        identifiers.reset()
        // Every designation that has the query's name, normalised or with its words sorted,
        // is judged too, however many others share its words.
        for queryName in screener.queryNames where !queryName.normalized.isEmpty {
            let exactNames = statements.exactNames
            exactNames.reset()
            try exactNames.bind(StoredText.encode(queryName.normalized), at: 1)
            try exactNames.bind(StoredText.encode(queryName.sortedTokens), at: 2)
            while try exactNames.step() { candidates.append(exactNames.int64(0)) }
            exactNames.reset()
        }
        // Every identifier and exact-name candidate is judged; name candidates in rank order until
        // `screeningCandidates` of them stand active that day: designations removed (or not
        // yet added) never take an active one's place, however many share its name.
        var judged = Set<Int64>()
        func judge(_ stream: Int64) throws -> Bool {
            guard judged.insert(stream).inserted, let (standing, name) = try standing(of: stream) else { return false }
            if let match = screener.match(standing, designation: name) { matches.append(match) }
            return standing.removedOn == nil
        }
        for stream in candidates { _ = try judge(stream) }
        var activeNameCandidates = 0
        let (selected, buckets) = try nameCandidates(
            screener.queryNames.reduce(into: Set<String>()) { $0.formUnion($1.indexTrigrams) })
        // Those sharing fewer than half as many of the query's selected trigrams as the best
        // candidate, or fewer than a fifth of them, are too far from it to score near the
        // threshold, and are not judged.
        let enough = max(((buckets.first?.shared ?? 0) + 1) / 2, (selected + 4) / 5)
        ranking: for (shared, bucket) in buckets where shared >= enough {
            // Within a number of shared trigrams, the lowest stream ids first; a bucket is
            // sorted only when it is reached.
            for stream in bucket.sorted() {
                if activeNameCandidates >= Self.screeningCandidates { break ranking }
                if try judge(stream) { activeNameCandidates += 1 }
            }
        }
        return Screener.ordered(matches)
    }

    /// How many of the query's trigrams were looked up (its rarest), and the designations
    /// sharing them, by how many they share, most first (each bucket unsorted). A common trigram, such as those of "Industries", would
    /// only add noise and time.
    private func nameCandidates(_ queryTrigrams: Set<String>) throws -> (
        selected: Int, buckets: [(shared: Int, streams: [Int64])]
    ) {
        guard let counts = statements?.counts, let postings = statements?.postings else { return (0, []) }
        var ranked: [(trigram: String, streams: Int64)] = []
        for trigram in queryTrigrams {
            counts.reset()
            try counts.bind(trigram, at: 1)
            if try counts.step() { ranked.append((trigram, counts.int64(0))) }
        }
        counts.reset()
        ranked.sort { $0.streams != $1.streams ? $0.streams < $1.streams : $0.trigram < $1.trigram }
        var trigrams: [String] = []
        var total: Int64 = 0
        for entry in ranked where trigrams.count < 3 || total + entry.streams <= Self.screeningPostings {
            trigrams.append(entry.trigram)
            total += entry.streams
        }
        // Counted in an array by stream id (ids are dense), the touched ones listed; the
        // array is taken out of the session while it is counted in (no exclusivity checks).
        var counted = sharedCounts
        sharedCounts = []
        defer { sharedCounts = counted }
        var touched: [Int64] = []
        for trigram in trigrams {
            postings.reset()
            try postings.bind(trigram, at: 1)
            while try postings.step() {
                let base = Int(postings.int64(0) * ScreeningIndex.bucketSize)
                let bytes = postings.blob(1)
                // The array grown first to hold every id the entry can name (two bytes past
                // its base), then counted in without bounds or uniqueness checks.
                if base + 65_536 > counted.count {
                    counted.append(contentsOf: repeatElement(0, count: base + 65_536 - counted.count))
                }
                counted.withUnsafeMutableBufferPointer { counts in
                    bytes.withUnsafeBufferPointer { bytes in
                        var position = 0
                        while position + 1 < bytes.count {
                            let stream = base + (Int(bytes[position]) | Int(bytes[position + 1]) << 8)
                            position += 2
                            let count = counts[stream]
                            if count == 0 { touched.append(Int64(stream)) }
                            if count < 255 { counts[stream] = count + 1 }
                        }
                    }
                }
            }
        }
        postings.reset()
        var buckets = [[Int64]](repeating: [], count: trigrams.count + 1)
        for stream in touched {
            buckets[min(Int(counted[Int(stream)]), trigrams.count)].append(stream)
            counted[Int(stream)] = 0
        }
        return (
            trigrams.count,
            buckets.enumerated().reversed().filter { !$0.element.isEmpty }.map { ($0.offset, $0.element) }
        )
    }

    /// A designation as it stands on the day, from its stored terms (no event data is read),
    /// and its stream's name; nil when it does not exist that day.
    private func standing(of stream: Int64) throws -> (DesignationStanding<ScreenedName>, String)? {
        if let known = standings.lookUp(stream) { return known }
        guard let terms = statements?.terms, let names = statements?.names else { return nil }
        var found: (standing: DesignationStanding<ScreenedName>, name: String)?
        if let standing = try ScreeningIndex.standing(of: stream, asOf: asOf, atSeq: Int64.max - 1, using: terms) {
            names.reset()
            try names.bind(stream, at: 1)
            guard try names.step() else { throw LedgerStoreError.corruptView(stream: "stream \(stream)") }
            found = (standing, names.string(0))
            names.reset()
        }
        standings.keep(found, for: stream)
        return found
    }
}

/// Designations' standings on one day, read once from their terms and kept (nil: the
/// designation does not exist that day), by stream id; safe to share between threads.
final class StandingCache: @unchecked Sendable {
    typealias Standing = (standing: DesignationStanding<ScreenedName>, name: String)
    private var standings: [Int64: Standing?] = [:]
    private let lock = NSLock()
    // `@unchecked Sendable`: `standings` is read and written under `lock` only.

    /// The standing kept for `stream`: nil when none is kept, `.some(nil)` when it does not exist.
    func lookUp(_ stream: Int64) -> Standing?? {
        lock.lock()
        defer { lock.unlock() }
        return standings[stream]
    }

    func keep(_ standing: Standing?, for stream: Int64) {
        lock.lock()
        defer { lock.unlock() }
        standings[stream] = standing
    }
}

extension Ledger {
    /// Designations matching `screener`'s query as of `asOf`, best first (contract section 5).
    public func screen(_ screener: Screener, asOf: Day) throws -> [ScreeningMatch] {
        try ScreeningSession(ledger: self, asOf: asOf).screen(screener)
    }
}
