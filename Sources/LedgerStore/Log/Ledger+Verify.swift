import Dispatch
import LedgerDomain

/// The first fault `verify` found in the log.
public struct ChainFault: Sendable, Equatable {
    /// The first bad `seq`.
    public var seq: Int64
    public var reason: String
}

/// What `verify` found: how many events it checked, the head, and the first fault if any.
public struct ChainReport: Sendable {
    public var eventCount: Int64
    public var headSeq: Int64
    public var headHash: String
    public var fault: ChainFault?
}

/// What `verify` found in the chain and, when the file has them, in the stored views.
public struct VerifyReport: Sendable {
    public var chain: ChainReport
    /// Nil when the chain has a fault (the views are then not reported) or the file has no views.
    public var views: (fault: ViewFault?, digest: String)?
}

/// The chain pass, run on its own connection and thread while the views are rebuilt.
private final class ChainPass: @unchecked Sendable {
    let ledger: Ledger
    let expect: (seq: Int64, hash: String)?
    var result: Result<ChainReport, any Error> = .failure(CancellationError())

    init(ledger: Ledger, expect: (seq: Int64, hash: String)?) {
        self.ledger = ledger
        self.expect = expect
    }

    func run() {
        result = Result { try ledger.verifyChain(expect: expect) }
    }
}

private struct CancellationError: Error {}

extension Ledger {
    /// Checks the chain and the stored views at once: the chain pass on a second read-only
    /// connection and thread, the fresh replay and the digests on this one (2 cores). Both
    /// read transactions start at the same head, so they see the same ledger.
    public func verify(expect: (seq: Int64, hash: String)? = nil) throws -> VerifyReport {
        guard hasViews else { return VerifyReport(chain: try verifyChain(expect: expect), views: nil) }
        var second = try Ledger.openForReading(path: path)
        var attempts = 0
        // An append may commit between the two opens: open again until both see one head.
        while try second.head() != head() {
            attempts += 1
            if attempts == 10 {
                let chain = try verifyChain(expect: expect)
                return VerifyReport(chain: chain, views: chain.fault == nil ? try verifyViews() : nil)
            }
            second = try Ledger.openForReading(path: path)
        }
        let pass = ChainPass(ledger: second, expect: expect)
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { pass.run() }
        let views = Result { try verifyViews() }
        group.wait()
        let chain = try pass.result.get()
        if chain.fault != nil { return VerifyReport(chain: chain, views: nil) }
        return VerifyReport(chain: chain, views: try views.get())
    }

    /// Checks the whole hash chain in one pass: `seq` without gaps, each `prev_hash` equal to
    /// the previous `hash`, each `hash` equal to the SHA-256 of the event's canonical JSON,
    /// stream versions without gaps and `known_on` as the source says. With `expect`, event
    /// `expect.seq` must still exist and carry `expect.hash`: this catches a truncated log.
    public func verifyChain(expect: (seq: Int64, hash: String)? = nil) throws -> ChainReport {
        let statement = try database.prepare("SELECT \(StoredEventRow.columns), known_on FROM events ORDER BY seq")
        var previousSeq: Int64 = 0
        var previousHash = HashChain.genesis
        var streamVersions: [String: Int64] = [:]
        var expectedFound = false
        var count: Int64 = 0
        func report(_ fault: ChainFault?) -> ChainReport {
            ChainReport(eventCount: count, headSeq: previousSeq, headHash: previousHash, fault: fault)
        }
        while try statement.step() {
            let event = StoredEventRow.read(statement)
            let knownOn = statement.string(12)
            if event.seq != previousSeq + 1 {
                let reason =
                    event.seq > previousSeq + 1
                    ? "seq jumps from \(previousSeq) to \(event.seq): events are missing"
                    : "seq \(event.seq) is out of order after \(previousSeq)"
                return report(ChainFault(seq: event.seq, reason: reason))
            }
            if event.prevHash != previousHash {
                return report(
                    ChainFault(
                        seq: event.seq,
                        reason: "prev_hash \(event.prevHash) does not equal the hash of event \(previousSeq)"))
            }
            let computed = event.computedHash()
            if computed != event.hash {
                return report(
                    ChainFault(
                        seq: event.seq, reason: "hash mismatch: stored \(event.hash), computed \(computed)"))
            }
            let version = (streamVersions[event.stream] ?? 0) + 1
            if event.streamVersion != version {
                return report(
                    ChainFault(
                        seq: event.seq,
                        reason: "stream_version \(event.streamVersion) of \(event.stream) should be \(version)"))
            }
            streamVersions[event.stream] = version
            if let expectedKnownOn = Self.knownOn(of: event), expectedKnownOn != knownOn {
                return report(
                    ChainFault(
                        seq: event.seq, reason: "known_on \(knownOn) does not match the event (\(expectedKnownOn))"))
            }
            if let expect, expect.seq == event.seq {
                expectedFound = true
                if expect.hash != event.hash {
                    return report(
                        ChainFault(
                            seq: event.seq,
                            reason: "hash \(event.hash) differs from the expected \(expect.hash): history was rewritten"
                        ))
                }
            }
            previousSeq = event.seq
            previousHash = event.hash
            count += 1
        }
        if let expect, !expectedFound {
            return report(
                ChainFault(
                    seq: expect.seq,
                    reason: "event \(expect.seq) is not in the log (head is \(previousSeq)): the log was truncated"))
        }
        return report(nil)
    }

    /// The `known_on` an event's own fields give, or nil if its source cannot be read.
    static func knownOn(of event: StoredEvent) -> String? {
        guard case .object(let source)? = try? StrictJSONReader().read(event.sourceJSON) else { return nil }
        if case .string(let published)? = source["published_on"] { return published }
        return event.occurredOn
    }
}
