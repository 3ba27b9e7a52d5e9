/// The guards of the log: the triggers that make the database itself refuse to change or
/// remove stored events. They stop mistakes, and a role that may only append; whoever owns
/// the file or the tables can remove them, which `verify` then reports. Only a checkpoint
/// kept elsewhere proves that nothing was cut off the end of the log.
public struct LogGuard: Sendable, Equatable {
    /// The trigger's name.
    public var name: String
    /// What is wrong with it: `missing`, `disabled`, or `changed`.
    public var problem: String
}

/// The guards on a file, as migration 1 creates them (whitespace aside).
enum FileGuards {
    static let triggers: [(name: String, sql: String)] = [
        (
            "events_refuse_update",
            """
            CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events cannot be updated'); END
            """
        ),
        (
            "events_refuse_delete",
            """
            CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events cannot be deleted'); END
            """
        ),
    ]

    /// The statements that create them, as migration 1 did (and migration 11 again, on the
    /// log it copies).
    static var creation: String {
        triggers.map { $0.sql + ";" }.joined(separator: "\n")
    }

    /// `sql` with its white space runs folded to one space, for comparing definitions.
    static func folded(_ sql: String) -> String {
        sql.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
            .replacingSemicolonEnd()
    }
}

extension String {
    /// Without a final `;`.
    fileprivate func replacingSemicolonEnd() -> String {
        hasSuffix(";") ? String(dropLast()) : self
    }
}

extension Ledger {
    /// The guards of the log that are missing, switched off or changed; empty when all stand.
    public func logGuardProblems() throws -> [LogGuard] {
        if database is SQLiteDatabase {
            var stored: [String: String] = [:]
            let statement = try database.prepare(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'")
            while try statement.step() { stored[statement.string(0)] = statement.string(1) }
            statement.reset()
            return FileGuards.triggers.compactMap { name, sql in
                guard let found = stored[name] else { return LogGuard(name: name, problem: "missing") }
                return FileGuards.folded(found) == FileGuards.folded(sql)
                    ? nil : LogGuard(name: name, problem: "changed")
            }
        }
        var stored: [String: (enabled: String, function: String)] = [:]
        let statement = try database.prepare(
            """
            SELECT t.tgname, t.tgenabled::text, p.proname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
            WHERE t.tgrelid = to_regclass('events') AND NOT t.tgisinternal
            """)
        while try statement.step() { stored[statement.string(0)] = (statement.string(1), statement.string(2)) }
        statement.reset()
        let body = try database.prepare(
            "SELECT prosrc FROM pg_proc WHERE proname = 'ledger_refuse_change' AND pronamespace = current_schema()::regnamespace"
        )
        let refuses = try body.step() && body.string(0).contains("RAISE EXCEPTION")
        body.reset()
        return ServerSchema.guardTriggers.compactMap { name in
            guard let found = stored[name] else { return LogGuard(name: name, problem: "missing") }
            // 'O' fires in origin sessions, 'A' always; 'D' is disabled, 'R' fires on replicas only.
            guard found.enabled == "O" || found.enabled == "A" else { return LogGuard(name: name, problem: "disabled") }
            guard found.function == "ledger_refuse_change", refuses else {
                return LogGuard(name: name, problem: "changed")
            }
            return nil
        }
    }

    /// Puts back the guards that are missing, switched off or changed, in the writer's own
    /// transaction; returns those it restored. On a server only the tables' owner may.
    func restoreLogGuards() throws -> [LogGuard] {
        let problems = try logGuardProblems()
        guard !problems.isEmpty else { return [] }
        if let file = database as? SQLiteDatabase {
            try file.transaction(immediate: true) {
                for (name, sql) in FileGuards.triggers where problems.contains(where: { $0.name == name }) {
                    try file.execute("DROP TRIGGER IF EXISTS \(name)")
                    try file.execute(sql)
                }
            }
        } else if let server = database as? ServerDatabase {
            try server.connection.transaction {
                try server.connection.execute(ServerSchema.guardOfTheLog)
                for name in ServerSchema.guardTriggers {
                    try server.connection.execute("ALTER TABLE events ENABLE TRIGGER \(name)")
                }
            }
        }
        return problems
    }
}
