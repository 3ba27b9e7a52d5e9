import ArgumentParser
import Foundation

/// Synthetic official lists in the real formats, as large as wanted: a UN consolidated list
/// (XML) and OFAC's legacy CSV files, in two snapshots (the second with entries renamed,
/// given a new alias or address, dropped and added), for measuring `ledger import`.
struct ListGenerator {
    var entries: Int
    var seed: UInt64

    /// Which entries the second snapshot changes: every 20th gains an alias, every 50th
    /// loses its first address, every 100th is dropped, and `entries / 100` new ones follow.
    func isDropped(_ index: Int, second: Bool) -> Bool { second && index % 100 == 7 }

    private func name(_ index: Int) -> String {
        var random = SeededRandom(state: seed &+ UInt64(index))
        let syllables = [
            "KIM", "PAK", "RI", "CHOE", "JONG", "SONG", "HAN", "YUN", "MIN", "CHOL", "HO", "IL", "SU", "NAM",
        ]
        return (0..<3).map { _ in syllables[Int(random.next() % UInt64(syllables.count))] }.joined(separator: " ")
            + " \(index)"
    }

    private func hex(_ index: Int, _ salt: Int) -> String {
        var random = SeededRandom(state: seed &+ UInt64(index) &* 31 &+ UInt64(salt))
        return "0x" + (0..<5).map { _ in String(format: "%08x", UInt32(truncatingIfNeeded: random.next())) }.joined()
    }

    /// The UN file of one snapshot.
    func writeUN(to path: String, second: Bool) throws {
        guard let out = OutputStream(toFileAtPath: path, append: false) else { throw BenchError.failed(path) }
        out.open()
        defer { out.close() }
        func write(_ text: String) { let bytes = Array(text.utf8); _ = out.write(bytes, maxLength: bytes.count) }
        let date = second ? "2024-03-01T10:00:03.81Z" : "2024-01-15T23:00:04.106Z"
        write(
            "<?xml version='1.0' encoding='UTF-8'?>\n<CONSOLIDATED_LIST xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance' xsi:noNamespaceSchemaLocation='https://www.un.org/sc/resources/sc-sanctions.xsd' dateGenerated='\(date)'>\n    <INDIVIDUALS>\n"
        )
        let total = entries + (second ? entries / 100 : 0)
        for index in 0..<total where !isDropped(index, second: second) && index % 3 != 0 {
            let parts = name(index).split(separator: " ")
            write(
                """
                        <INDIVIDUAL>
                            <DATAID>\(100_000 + index)</DATAID>
                            <VERSIONNUM>1</VERSIONNUM>
                            <FIRST_NAME>\(parts[0])</FIRST_NAME>
                            <SECOND_NAME>\(parts[1])</SECOND_NAME>
                            <THIRD_NAME>\(parts[2]) \(parts[3])</THIRD_NAME>
                            <UN_LIST_TYPE>\(index % 10 == 0 ? "Al-Qaida" : "DPRK")</UN_LIST_TYPE>
                            <REFERENCE_NUMBER>KPi.\(index)</REFERENCE_NUMBER>
                            <LISTED_ON>2016-11-30</LISTED_ON>
                            <COMMENTS1>Synthetic entry \(index) for measuring the importer.</COMMENTS1>
                            <INDIVIDUAL_ALIAS>
                                <QUALITY>Good</QUALITY>
                                <ALIAS_NAME>\(parts[1]) \(parts[0]) \(index)</ALIAS_NAME>
                            </INDIVIDUAL_ALIAS>\(second && index % 20 == 1 ? """

                                        <INDIVIDUAL_ALIAS>
                                            <QUALITY>Low</QUALITY>
                                            <ALIAS_NAME>ALIAS \(index)</ALIAS_NAME>
                                        </INDIVIDUAL_ALIAS>
                            """ : "")
                            <INDIVIDUAL_DOCUMENT>
                                <TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT>
                                <NUMBER>\(900_000_000 + index)</NUMBER>
                            </INDIVIDUAL_DOCUMENT>
                            <SORT_KEY/>
                            <SORT_KEY_LAST_MOD/>
                        </INDIVIDUAL>

                """)
        }
        write("    </INDIVIDUALS>\n    <ENTITIES>\n")
        for index in 0..<total where !isDropped(index, second: second) && index % 3 == 0 {
            write(
                """
                        <ENTITY>
                            <DATAID>\(100_000 + index)</DATAID>
                            <VERSIONNUM>1</VERSIONNUM>
                            <FIRST_NAME>\(name(index)) TRADING CORPORATION</FIRST_NAME>
                            <UN_LIST_TYPE>DPRK</UN_LIST_TYPE>
                            <REFERENCE_NUMBER>KPe.\(index)</REFERENCE_NUMBER>
                            <LISTED_ON>2017-08-05</LISTED_ON>
                            <ENTITY_ALIAS>
                                <QUALITY>a.k.a.</QUALITY>
                                <ALIAS_NAME>\(second && index % 20 == 3 ? "RENAMED " : "")ALIAS OF \(index)</ALIAS_NAME>
                            </ENTITY_ALIAS>
                            <ENTITY_ADDRESS>
                                <CITY>Pyongyang</CITY>
                                <COUNTRY>Democratic People's Republic of Korea</COUNTRY>
                            </ENTITY_ADDRESS>
                            <SORT_KEY/>
                            <SORT_KEY_LAST_MOD/>
                        </ENTITY>

                """)
        }
        write("    </ENTITIES>\n</CONSOLIDATED_LIST>")
    }

    /// OFAC's four files of one snapshot, in `directory`.
    func writeOFAC(to directory: String, second: Bool) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var sdn = "", alt = "", add = "", comments = ""
        let total = entries + (second ? entries / 100 : 0)
        func flush(_ text: inout String, _ name: String, _ handle: inout FileHandle?) throws {
            if handle == nil {
                _ = FileManager.default.createFile(atPath: "\(directory)/\(name)", contents: nil)
                handle = FileHandle(forWritingAtPath: "\(directory)/\(name)")
            }
            handle?.write(Data(text.utf8))
            text = ""
        }
        var handles: [FileHandle?] = [nil, nil, nil, nil]
        for index in 0..<total where !isDropped(index, second: second) {
            let entNum = 10_000 + index
            let type = index % 5 == 0 ? "-0- " : index % 97 == 0 ? "\"vessel\"" : "\"individual\""
            var remarks = "Digital Currency Address - ETH \(hex(index, second && index % 50 == 1 ? 9 : 1))"
            remarks += "; alt. Digital Currency Address - XBT bc1q\(String(index, radix: 36))xyz"
            remarks += "; Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210"
            remarks += "; a.k.a. 'WEAK \(index)'."
            var extended: String?
            if index % 40 == 0 {
                remarks += String(
                    repeating: " Additional sanctions information - subject to secondary sanctions.", count: 16)
                remarks += " Digital Currency Address - TRX T\(String(index, radix: 36))TRONADDRESS."
                extended = String(remarks.dropFirst(1000))
                remarks = String(remarks.prefix(1000))
            }
            sdn +=
                "\(entNum),\"\(name(index))\",\(type),\"DPRK3\(index % 4 == 0 ? "] [NPWMD" : "")\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"\(remarks)\"\r\n"
            alt += "\(entNum),\(index),\"aka\",\"\(name(index)) ALT\",-0- \r\n"
            if second && index % 20 == 2 {
                alt += "\(entNum),\(index + 1_000_000),\"aka\",\"NEW ALT \(index)\",-0- \r\n"
            }
            add += "\(entNum),\(index),-0- ,\"Pyongyang\",\"Korea, North\",-0- \r\n"
            if let extended { comments += "\(entNum),\"\(extended)\"\r\n" }
            if sdn.utf8.count > 1 << 20 {
                try flush(&sdn, "sdn.csv", &handles[0])
                try flush(&alt, "alt.csv", &handles[1])
                try flush(&add, "add.csv", &handles[2])
                try flush(&comments, "sdn_comments.csv", &handles[3])
            }
        }
        for (index, name) in ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"].enumerated() {
            var text = [sdn, alt, add, comments][index] + "\u{1A}"
            try flush(&text, name, &handles[index])
            try handles[index]?.close()
        }
    }
}

/// `ledger-bench lists`: imports synthetic UN and OFAC lists of full size and measures it.
struct Lists: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure ledger import on synthetic UN and OFAC lists (two snapshots each).")

    @Option(help: "Entries per list.") var entries = 20_000
    @Option(help: "The ledger binary to measure.") var ledger = ".build/release/ledger"
    @Option(help: "A scratch directory (emptied first).") var work = ".build-bench-lists"
    @Flag(help: "Only write the files.") var writeOnly = false

    func run() throws {
        _ = system("rm -rf '\(work)' && mkdir -p '\(work)'")
        let generator = ListGenerator(entries: entries, seed: 2397)
        try generator.writeUN(to: "\(work)/un-1.xml", second: false)
        try generator.writeUN(to: "\(work)/un-2.xml", second: true)
        try generator.writeOFAC(to: "\(work)/ofac-1", second: false)
        try generator.writeOFAC(to: "\(work)/ofac-2", second: true)
        if writeOnly { return }
        let db = "\(work)/lists.sqlite"
        _ = try measure([ledger, "init", "--db", db])
        print("importing synthetic lists of \(entries) entries each (\(ledger))")
        let ofacFiles = { (n: Int) in
            ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"].map { "\(work)/ofac-\(n)/\($0)" }
        }
        let steps: [(String, [String])] = [
            ("UN, first snapshot", ["import", "un-xml", "\(work)/un-1.xml"]),
            ("UN, same snapshot again", ["import", "un-xml", "\(work)/un-1.xml"]),
            ("UN, second snapshot", ["import", "un-xml", "\(work)/un-2.xml"]),
            ("OFAC, first snapshot", ["import", "ofac-csv"] + ofacFiles(1) + ["--published-on", "2024-01-15"]),
            ("OFAC, same snapshot again", ["import", "ofac-csv"] + ofacFiles(1) + ["--published-on", "2024-01-15"]),
            ("OFAC, second snapshot", ["import", "ofac-csv"] + ofacFiles(2) + ["--published-on", "2024-03-01"]),
        ]
        for (label, arguments) in steps {
            let summary = "\(work)/summary.txt"
            let result = try measure([ledger] + arguments + ["--db", db, "--quiet"], stdoutPath: summary)
            guard result.status == 0 else { throw BenchError.failed("\(label): exit \(result.status)") }
            let lines = (try? String(contentsOfFile: summary, encoding: .utf8)) ?? ""
            print("  \(label): \(format(result.seconds)) s, peak \(result.maxRSSKiB / 1024) MB")
            for line in lines.split(separator: "\n") { print("    \(line)") }
        }
    }
}
