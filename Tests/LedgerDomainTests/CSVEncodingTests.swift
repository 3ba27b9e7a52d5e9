import Testing

@testable import LedgerDomain

@Suite struct CSVEncodingTests {
    /// The encoding as it was written first, by strings and scalars: the reference the
    /// by-bytes encoder must equal.
    static func reference(_ cells: [Cell]) -> String {
        func defused(_ text: String) -> String {
            guard let first = text.unicodeScalars.first else { return text }
            return ["=", "+", "-", "@", "\t", "\r"].contains(first) ? "'" + text : text
        }
        func quoted(_ text: String) -> String {
            guard text.unicodeScalars.contains(where: { [",", "\"", "\n", "\r"].contains($0) }) else { return text }
            var result = "\""
            for scalar in text.unicodeScalars {
                if scalar == "\"" { result += "\"\"" } else { result.unicodeScalars.append(scalar) }
            }
            return result + "\""
        }
        func field(_ cell: Cell) -> String {
            switch cell {
            case .empty: ""
            case .number(let number): String(number)
            case .decimal(let number): number
            case .bool(let flag): flag ? "true" : "false"
            case .text(let text): quoted(defused(text))
            case .list(let items): quoted(defused(items.joined(separator: ";")))
            }
        }
        return cells.map(field).joined(separator: ",") + "\r\n"
    }

    @Test func bytesEqualTheReferenceOnRandomCells() {
        var random = SystemRandomNumberGenerator()
        let pieces = ["a", "Ω", "=", "+", "-", "@", "\t", "\r", "\n", ",", "\"", ";", " ", "é", "\r\n", "'"]
        func text() -> String {
            (0..<Int.random(in: 0...5, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
        }
        for _ in 0..<2_000 {
            let cells: [Cell] = (0..<Int.random(in: 1...5, using: &random)).map { _ in
                switch Int.random(in: 0...5, using: &random) {
                case 0: .empty
                case 1: .number(Int64.random(in: -1_000...1_000_000, using: &random))
                case 2: .decimal("0.87")
                case 3: .bool(Bool.random(using: &random))
                case 4: .text(text())
                default: .list((0..<Int.random(in: 0...3, using: &random)).map { _ in text() })
                }
            }
            #expect(CSVEncoding.record(cells) == Self.reference(cells), "\(cells)")
        }
    }

    @Test(arguments: [Int64.min, Int64.min + 1, -10, -1, 0, 1, 9, 10, 99, 100, 1_000_000_007, Int64.max])
    func numbersAreWrittenAsStringWritesThem(_ value: Int64) {
        #expect(CSVEncoding.record([.number(value)]) == String(value) + "\r\n")
    }
}
