import GRDB

/// Decides whether an ad-hoc statement may run in `analyze sql`: only statements that cannot
/// change any file.
///
/// Layers (the connection is also opened with `SQLITE_OPEN_READONLY`, so SQLite itself refuses
/// writes to the database file):
/// 1. one statement only (GRDB's `makeStatement` rejects trailing statements);
/// 2. `sqlite3_stmt_readonly` (GRDB's `Statement.isReadonly`) must be true: refuses INSERT,
///    UPDATE, DELETE, CREATE, DROP, ALTER, REPLACE, REINDEX, VACUUM and writing PRAGMAs;
/// 3. keywords that `sqlite3_stmt_readonly` lets through but that create or change files or the
///    connection: ATTACH and DETACH (ATTACH creates a missing file), VACUUM (VACUUM INTO writes a
///    new file), transaction control, and PRAGMA with an assignment or an argument, except the
///    schema-inspection pragmas that take a table or index name.
public enum ReadOnlyGuard {
    /// PRAGMAs that may take a parenthesised argument (a table or index name) and only read.
    static let readPragmasWithArgument: Set<String> = [
        "table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list",
        "foreign_key_check", "integrity_check", "quick_check", "table_list",
    ]
    /// PRAGMAs that change something even without an argument.
    static let pragmasWithSideEffects: Set<String> = [
        "optimize", "wal_checkpoint", "shrink_memory", "incremental_vacuum",
    ]
    static let refusedKeywords: Set<String> = [
        "ATTACH", "DETACH", "VACUUM", "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE",
    ]

    /// Prepares `sql` if it is allowed.
    /// - Parameters:
    ///   - db: the connection.
    ///   - sql: one SQL statement.
    /// - Returns: the prepared statement.
    /// - Throws: `AnalysisError.writeRefused` saying why; `.database` for SQL errors (syntax,
    ///   unknown table, several statements).
    public static func prepare(_ db: Database, sql: String) throws -> Statement {
        let words = keywords(sql)
        guard let first = words.first else { throw AnalysisError.invalidField("SQL", "the statement is empty") }
        if refusedKeywords.contains(first) {
            throw AnalysisError.writeRefused("\(first) is not allowed (it can create files or change the connection)")
        }
        if first == "PRAGMA" { try checkPragma(sql, name: words.dropFirst().first?.lowercased() ?? "") }
        let statement: Statement
        do {
            statement = try db.makeStatement(sql: sql)
        } catch let error as DatabaseError {
            let message = error.message ?? error.description
            if message.lowercased().contains("readonly") || message.lowercased().contains("read-only") {
                throw AnalysisError.writeRefused("the statement would write (\(message))")
            }
            if message.hasPrefix("Multiple statements found") {
                throw AnalysisError.invalidField("SQL", "give one statement at a time (remove the ';' and what follows it)")
            }
            throw AnalysisError.database(message)
        }
        guard statement.isReadonly else {
            let verb = words.first { ["INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER"].contains($0) } ?? first
            throw AnalysisError.writeRefused("\(verb) would change the database")
        }
        return statement
    }

    static func checkPragma(_ sql: String, name: String) throws {
        let bare = name.split(separator: ".").last.map(String.init) ?? name
        if sql.contains("=") {
            throw AnalysisError.writeRefused("PRAGMA with an assignment changes settings or data")
        }
        if sql.contains("("), !readPragmasWithArgument.contains(bare) {
            throw AnalysisError.writeRefused("PRAGMA \(bare)(…) with an argument can change settings")
        }
        if pragmasWithSideEffects.contains(bare) {
            throw AnalysisError.writeRefused("PRAGMA \(bare) changes the database or connection")
        }
    }

    /// The leading words of `sql` in upper case, after comments and whitespace.
    static func keywords(_ sql: String) -> [String] {
        var text = Substring(sql)
        var words: [String] = []
        while words.count < 3, !text.isEmpty {
            if text.hasPrefix("--") {
                text = text.drop { $0 != "\n" }
            } else if text.hasPrefix("/*") {
                if let end = text.range(of: "*/") { text = text[end.upperBound...] } else { text = "" }
            } else if let c = text.first, c.isWhitespace || c == ";" {
                text = text.dropFirst()
            } else {
                let word = text.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
                if word.isEmpty { break }
                words.append(word.uppercased())
                text = text.dropFirst(word.count)
            }
        }
        return words
    }
}
