/// A list of values asked for in one statement, `… IN (?1, …, ?N)`: always `size`
/// parameters, the unused ones NULL (which matches nothing), so one statement serves every list.
enum SQLList {
    static let size = 500
    static let placeholders = (1...size).map { "?\($0)" }.joined(separator: ", ")

    /// `values` cut into lists of at most `size`.
    static func chunks<Value>(of values: [Value]) -> [ArraySlice<Value>] {
        stride(from: 0, to: values.count, by: size).map { values[$0..<min($0 + size, values.count)] }
    }
}
