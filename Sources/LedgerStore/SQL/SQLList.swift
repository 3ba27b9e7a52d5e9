/// A list of values asked for in one statement, `… IN (?1, …, ?N)`: always `size`
/// parameters, the unused ones NULL (which matches nothing), so one statement serves every list.
enum SQLList {
    static let size = 500
    static let placeholders = (1...size).map { "?\($0)" }.joined(separator: ", ")

    /// `values` cut into lists of at most `size`.
    static func chunks<Value>(of values: [Value]) -> [ArraySlice<Value>] {
        stride(from: 0, to: values.count, by: size).map { values[$0..<min($0 + size, values.count)] }
    }

    /// Steps `statement`, whose parameters `1…size` are such a list, once per list of at
    /// most `size` of `values`, calling `body` with each row; the statement is reset after.
    static func forEachRow(
        of statement: any SQLStatement, in values: [String], _ body: (any SQLStatement) throws -> Void
    ) throws {
        defer { statement.reset() }
        for chunk in chunks(of: values) {
            statement.reset()
            for (index, value) in chunk.enumerated() { try statement.bind(value, at: Int32(index + 1)) }
            while try statement.step() { try body(statement) }
        }
    }

    /// `count` rows of `width` parameters for `VALUES` or `IN (VALUES …)`: `(?1, ?2), (?3, ?4)`,
    /// the numbers written by `placeholder` from 1 on, row after row.
    static func rows(_ count: Int, width: Int, placeholder: (Int) -> String = { "?\($0)" }) -> String {
        (0..<count).map { row in
            "(" + (1...width).map { placeholder(row * width + $0) }.joined(separator: ", ") + ")"
        }.joined(separator: ", ")
    }
}
