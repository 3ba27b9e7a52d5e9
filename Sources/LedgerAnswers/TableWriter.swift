/// Aligned columns for a terminal. Widths come from the first rows (up to 1,000), so output
/// still streams; long cells are cut with `…` (but for the last column, which runs on), and
/// control characters are shown escaped.
public final class TableWriter {
    public static let maxCellWidth = 60
    private static let sampleSize = 1_000

    private let headers: [String]
    private let output: Output
    private var pending: [[String]] = []
    private var widths: [Int]?

    public init(headers: [String], output: Output) {
        self.headers = headers
        self.output = output
    }

    /// Adds one row (as many cells as headers).
    public func row(_ cells: [String]) throws(OutputFileError) {
        let safe = cells.enumerated().map { index, cell in
            let visible = cell.replacingControlCharacters()
            return index == cells.count - 1 ? visible : Self.clip(visible)
        }
        if let widths {
            try write(safe, widths: widths)
        } else {
            pending.append(safe)
            if pending.count >= Self.sampleSize { try flushPending() }
        }
    }

    /// Writes what is held back; call once after the last row.
    public func finish() throws(OutputFileError) {
        if widths == nil { try flushPending() }
    }

    private func flushPending() throws(OutputFileError) {
        var widths = headers.map { Self.width(of: $0) }
        for row in pending {
            for (index, cell) in row.enumerated() {
                widths[index] = min(max(widths[index], Self.width(of: cell)), Self.maxCellWidth)
            }
        }
        self.widths = widths
        try write(headers, widths: widths)
        try write(widths.map { String(repeating: "-", count: $0) }, widths: widths)
        for row in pending { try write(row, widths: widths) }
        pending.removeAll()
    }

    private func write(_ cells: [String], widths: [Int]) throws(OutputFileError) {
        var line = ""
        for (index, cell) in cells.enumerated() {
            if index == cells.count - 1 {
                line += cell
            } else {
                let clipped = Self.clip(cell, to: widths[index])
                line += clipped
                line += Self.spaces.prefix(widths[index] - Self.width(of: clipped) + 2)
            }
        }
        try output.line(line)
    }

    private static func clip(_ text: String, to width: Int = maxCellWidth) -> String {
        Self.width(of: text) <= width ? text : String(text.prefix(width - 1)) + "…"
    }

    /// The padding a cell takes at most.
    private static let spaces = String(repeating: " ", count: maxCellWidth + 2)

    /// How many characters `text` shows: its bytes when it is ASCII (most cells; counting
    /// characters walks grapheme clusters), else its characters.
    private static func width(of text: String) -> Int {
        let utf8 = text.utf8
        let isASCII =
            utf8.withContiguousStorageIfAvailable { $0.allSatisfy { $0 < 0x80 } } ?? utf8.allSatisfy { $0 < 0x80 }
        return isASCII ? utf8.count : text.count
    }
}
