import Foundation
import LedgerDomain
import Testing

@testable import LedgerImport

/// OFAC's legacy CSV as the importer reads it: strict RFC 4180 records with their lines, and
/// the addresses and weak aliases written inside `Remarks`.
@Suite struct OFACFormatTests {
    func records(_ text: String) throws -> [([String], Int)] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ofac-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("sdn.csv")
        try Data(text.utf8).write(to: file)
        var records: [([String], Int)] = []
        try CSVRecords(SnapshotInput(path: file.path, digest: false)).forEach { records.append(($0, $1)) }
        return records
    }

    func failure(_ text: String) -> ImportError? {
        do {
            _ = try records(text)
            return nil
        } catch let error as ImportError {
            return error
        } catch {
            return nil
        }
    }

    @Test func quotedFieldsCRLFAndTheFinalControlZ() throws {
        let text =
            "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\"\r\n173,\"ANGLO-CARIBBEAN \"\"CO\"\", LTD.\",-0- ,\"CUBA\"\r\n\u{1A}"
        let read = try records(text)
        #expect(
            read.map(\.0) == [
                ["36", "AEROCARIBBEAN AIRLINES", "-0- ", "CUBA"],
                ["173", "ANGLO-CARIBBEAN \"CO\", LTD.", "-0- ", "CUBA"],
            ])
        #expect(read.map(\.1) == [1, 2])
    }

    @Test func aRecordStartsOnItsOwnLineAfterAQuotedLineBreak() throws {
        let read = try records("1,\"two\nlines\"\r\n2,\"b\"\r\n")
        #expect(read.map(\.1) == [1, 3])
        #expect(read[0].0 == ["1", "two\nlines"])
    }

    @Test func malformedQuotingNamesItsLine() {
        #expect(failure("1,\"a\"\r\n2,\"b\r\n3,c\r\n")?.line == 2)
        #expect(failure("1,\"a\"x,2\r\n")?.line == 1)
        #expect(failure("1,\"a\"\r\n2,b\"c\r\n")?.line == 2)
        #expect(failure("1,\"a\"\r\n\u{1A}\r\n2,\"b\"\r\n")?.line == 3)
    }

    @Test func digitalCurrencyAddressesAreReadFromRemarks() {
        let remarks = """
            Digital Currency Address - ETH 0x098B716B8Aaf21512996dC57EB0615e2383E2f96; alt. Digital Currency \
            Address - XBT 1CPJak9ZyddbawMGJPhXVb9mMuzWcyngvM, Digital Currency Address - TRX TXy6oTGp2NNbq. \
            Digital Currency Address - XMR 44Dx.; Secondary sanctions risk: North Korea Sanctions Regulations.
            """
        #expect(
            OFACSDNList.digitalCurrencyAddresses(in: remarks) == [
                Identifier(kind: .ethAddress, value: "0x098B716B8Aaf21512996dC57EB0615e2383E2f96"),
                Identifier(kind: .btcAddress, value: "1CPJak9ZyddbawMGJPhXVb9mMuzWcyngvM"),
                Identifier(kind: .trxAddress, value: "TXy6oTGp2NNbq"),
                Identifier(kind: .other, value: "44Dx"),
            ])
    }

    @Test func namesOfRemarksAndEmptyValues() {
        #expect(
            OFACSDNList.remarkNames(in: "Website www.x.kp; a.k.a. 'HIDDEN COBRA'; a.k.a. 'ZINC'.")
                == ["HIDDEN COBRA", "ZINC"])
        // A name may hold an apostrophe; f.k.a. names are names too.
        #expect(
            OFACSDNList.remarkNames(in: "a.k.a. 'ABU-'UMAR'; f.k.a. 'AL-NUR'; a.k.a. ''FOOPIE''.")
                == ["ABU-'UMAR", "AL-NUR", "'FOOPIE'"])
        #expect(OFACSDNList.value("-0- ") == "")
        #expect(OFACSDNList.value(" -0-") == "")
        #expect(OFACSDNList.value("  DPRK3 ") == "DPRK3")
    }

    @Test func theSlugFollowsTheContract() {
        #expect(ListEntry.slug(prefix: "un-", key: "KPi.033") == "un-kpi.033")
        #expect(ListEntry.slug(prefix: "ofac-", key: "24187") == "ofac-24187")
        #expect(ListEntry.slug(prefix: "un-", key: "QDi 1/2") == "un-qdi-1-2")
        #expect(ListHoldings.baseSlug(of: "un-kpe.008-relisted-2024-04-01") == "un-kpe.008")
        #expect(ListHoldings.baseSlug(of: "un-kpe.008-relisted-x") == "un-kpe.008-relisted-x")
    }
}

extension OFACFormatTests {
    @Test func identifiersOfEveryKindAreReadFromRemarks() {
        let remarks = """
            DOB 01 Jan 1960; Passport G 649385 issued 08 Sep 2006 expires 17 Jul 2011; alt. Passport 484824 (Egypt); \
            National ID No. 660000 73767 (Belgium); Cedula No. 16247821 (Colombia); Tax ID No. AABA 670850 Y.; \
            NIT # 800146749-7 (Colombia); Vessel Registration Identification IMO 9187629; MMSI 572469210; \
            Other Vessel Call Sign 5IM713; SWIFT/BIC KDBKKPPY; Website www.example.kp; Registration ID 14063277.
            """
        #expect(
            OFACSDNList.documents(in: remarks) == [
                Identifier(kind: .passport, value: "G 649385"), Identifier(kind: .passport, value: "484824"),
                Identifier(kind: .nationalID, value: "660000 73767"),
                Identifier(kind: .nationalID, value: "16247821"), Identifier(kind: .taxID, value: "AABA 670850 Y"),
                Identifier(kind: .taxID, value: "800146749-7"), Identifier(kind: .imo, value: "9187629"),
                Identifier(kind: .mmsi, value: "572469210"), Identifier(kind: .callSign, value: "5IM713"),
                Identifier(kind: .swiftBIC, value: "KDBKKPPY"), Identifier(kind: .other, value: "14063277"),
            ])
        // Compared in canonical form: upper case, no white space or `-`, IMO without its prefix.
        #expect(Identifier(kind: .passport, value: "g 649-385").canonicalValue == "G649385")
        #expect(Identifier(kind: .imo, value: "IMO 9187629").canonicalValue == "9187629")
    }
}

extension ImportError {
    var line: Int? {
        if case .invalid(_, let line, _, _) = self { return line }
        return nil
    }

    var file: String? {
        if case .invalid(let file, _, _, _) = self { return file }
        return nil
    }
}
