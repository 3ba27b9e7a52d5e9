import Foundation
import LedgerDomain
import LedgerStore

/// How `log` is written.
public enum LogFormat: String, CaseIterable, Sendable {
    case ndjson, table
}

/// `log`: the stored events in `seq` order, as canonical NDJSON (exactly as hashed, with
/// their hash) or a table.
public struct LogRun {
    public var filter: LogFilter
    public var format: LogFormat

    public init(filter: LogFilter, format: LogFormat) {
        self.filter = filter
        self.format = format
    }

    /// Writes the events to `output`; returns the last `seq` written (nil when none).
    @discardableResult
    public func write(from ledger: Ledger, to output: Output) throws -> Int64? {
        var last: Int64?
        switch format {
        case .ndjson:
            try ledger.log.forEachEvent(filter) { event in
                try output.write(event.canonicalBytes(includingHash: true))
                output.write(byte: 0x0A)
                last = event.seq
            }
        case .table:
            let table = TableWriter(
                headers: ["seq", "stream", "version", "type", "occurred_on", "id", "recorded_at", "recorded_by"],
                output: output)
            try ledger.log.forEachEvent(filter) { event in
                try table.row([
                    String(event.seq), event.stream, String(event.streamVersion), event.type, event.occurredOn,
                    event.id, event.recordedAt, event.recordedBy,
                ])
                last = event.seq
            }
            try table.finish()
        }
        try output.flush()
        return last
    }

    /// Writes the events as `write` does, then each event appended later (by any writer) as
    /// it comes, polling the head every `interval` in a fresh snapshot, until `stop` says so
    /// or `limit` events are written.
    public func follow(
        _ ledger: Ledger, to output: Output, every interval: Duration = .milliseconds(200), stop: () -> Bool
    ) throws {
        var filter = filter
        var remaining = filter.limit
        var last = (filter.fromSeq ?? 1) - 1
        while !stop() {
            filter.fromSeq = last + 1
            filter.limit = remaining
            var written: Int64 = 0
            try ledger.log.forEachEvent(filter) { event in
                try output.write(event.canonicalBytes(includingHash: true))
                output.write(byte: 0x0A)
                written += 1
            }
            try output.flush()
            // The next poll starts after the head read now, whether or not the filter kept
            // its events.
            last = max(last, try ledger.log.eventCount())
            if let limit = remaining {
                remaining = limit - written
                if remaining ?? 0 <= 0 { return }
            }
            let deadline = ContinuousClock.now + interval
            while ContinuousClock.now < deadline && !stop() {
                Thread.sleep(forTimeInterval: 0.05)
            }
            try ledger.renewSnapshot()
        }
    }
}
