import LedgerDomain
import LedgerStore

/// One atomic batch of NDJSON lines, as `append` and `POST /v1/events` add them: each line
/// decoded as it comes and added in groups of the appender's look-ahead size (each group's
/// reads made at once), every refusal an `InputError` naming the input, the line and the
/// field. Nothing is stored until `commit`; `rollback` (or an error) leaves the ledger as it
/// was.
public final class AppendBatch {
    private let appender: EventAppender
    private let decoder = EventDecoder()
    private var group: [(input: String, line: Int, event: Event)] = []
    private let groupSize: Int
    /// How many events have been added so far (committed or not).
    public private(set) var added: Int64 = 0

    public init(ledger: Ledger, recordedBy: String) throws {
        appender = try ledger.beginAppend(recordedBy: recordedBy)
        groupSize = appender.lookAheadSize
        group.reserveCapacity(groupSize)
    }

    /// Decodes and adds line `line` of `input`.
    public func add(line bytes: [UInt8], number line: Int, of input: String) throws {
        let event: Event
        do {
            event = try decoder.decode(bytes)
        } catch {
            // The events before a bad line are added first, so that the error named is still
            // the first bad line's.
            try addGroup()
            throw InputError(file: input, line: line, field: error.field, reason: error.reason)
        }
        if groupSize == 1 {
            // Nothing is read ahead: each event is added as it comes.
            try add(event, line: line, of: input)
            added += 1
            return
        }
        group.append((input, line, event))
        if group.count >= groupSize { try addGroup() }
    }

    /// Adds what is held and stores the batch.
    public func commit() throws -> AppendSummary {
        try addGroup()
        return try appender.commit()
    }

    /// Forgets the batch: nothing of it is stored.
    public func rollback() {
        appender.rollback()
    }

    private func addGroup() throws {
        if group.count > 1 { try appender.lookAhead(group.map(\.event)) }
        for item in group { try add(item.event, line: item.line, of: item.input) }
        added += Int64(group.count)
        group.removeAll(keepingCapacity: true)
    }

    private func add(_ event: Event, line: Int, of input: String) throws {
        do {
            _ = try appender.add(event)
        } catch let error as EventValidationError {
            throw InputError(
                file: input, line: line, field: error.field, reason: error.reason, isConflict: error.isConflict)
        }
    }
}
