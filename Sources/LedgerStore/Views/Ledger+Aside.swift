import LedgerDomain

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ViewBuilder {
    /// The projections of events 1…`atSeq` built aside: the events copied verbatim into a
    /// temporary SQLite ledger (removed afterwards) and its views built there. For a read
    /// replica, which can hold no temporary tables; the digest is the same on both engines.
    func replayAside(atSeq: Int64, progress: (Int64) -> Void = { _ in }) throws -> ReplaySummary {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(base)/ledger-aside-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw LedgerStoreError.serverFailed(
                server: ledger.path, reason: "cannot make a temporary directory in \(base)")
        }
        let directory = String(cString: made)
        let file = directory + "/aside.sqlite"
        defer {
            for suffix in ["", "-wal", "-shm", "-journal"] { unlink(file + suffix) }
            rmdir(directory)
        }
        let aside = try Ledger.openForWriting(path: file)
        let copied = try aside.copy(from: ledger, upTo: atSeq, progress: progress)
        if let fault = copied.fault {
            throw LedgerStoreError.corruptView(stream: "the log at seq \(fault.seq) (\(fault.reason))")
        }
        let versions = try aside.database.integer("SELECT count(*) FROM versions") ?? 0
        return ReplaySummary(events: copied.copied, versions: Int(versions), digest: try aside.views.storedDigest())
    }
}
