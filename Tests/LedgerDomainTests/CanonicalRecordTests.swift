import Foundation
import Testing

@testable import LedgerDomain

@Suite struct CanonicalRecordTests {
    /// The record written once into a reused buffer is the canonical JSON the chain hashes:
    /// the bytes `StoredEvent` makes from the event's canonical `source` and `data`, and its
    /// ranges hold exactly those two.
    @Test func recordEqualsTheStoredEventsCanonicalBytes() throws {
        let decoder = EventDecoder()
        var record = CanonicalRecord()
        var count = 0
        let files = try SchemaAgreementTests.fixtures("valid") + SchemaAgreementTests.seeds()
        for file in files {
            for (number, line) in try SchemaAgreementTests.lines(of: file) {
                guard let event = try? decoder.decode(line) else { continue }
                let sourceJSON = CanonicalJSON.string(of: event.source.json)
                // The data as given, canonicalised as a JSON tree: the typed payload's own
                // writer must give the same bytes.
                let tree = try StrictJSONReader().read(line).objectValue
                let dataJSON = CanonicalJSON.string(of: tree?["data"] ?? .null)
                let stored = StoredEvent(
                    seq: Int64(number), id: event.id.text, type: event.type.rawValue, stream: event.stream.text,
                    streamVersion: Int64(count + 1), occurredOn: event.occurredOn.description,
                    sourceJSON: sourceJSON, dataJSON: dataJSON, recordedAt: "2026-11-24T05:00:00.000Z",
                    recordedBy: "tester \u{1F600} \"quoted\"", prevHash: String(repeating: "ab", count: 32), hash: "")
                record.write(
                    event, seq: stored.seq, streamVersion: stored.streamVersion, recordedAt: stored.recordedAt,
                    recordedBy: stored.recordedBy, prevHash: stored.prevHash)
                #expect(
                    record.bytes == stored.canonicalBytes(includingHash: false), "\(file.lastPathComponent):\(number)")
                #expect(record.hash() == stored.computedHash())
                #expect(Array(record.bytes[record.source]) == Array(sourceJSON.utf8))
                #expect(Array(record.bytes[record.data]) == Array(dataJSON.utf8))
                count += 1
            }
        }
        #expect(count > 30)
    }

    /// A record written from a stored row's column bytes (as `verify` reads them) equals the
    /// stored event's canonical bytes.
    @Test func recordFromStoredColumnsEqualsTheCanonicalBytes() {
        let stored = StoredEvent(
            seq: 42, id: "e:1", type: "theft.reported", stream: "incident/x", streamVersion: 3,
            occurredOn: "2020-01-02", sourceJSON: #"{"publisher":"A \"B\""}"#, dataJSON: #"{"victim":"V"}"#,
            recordedAt: "2026-11-24T05:00:00.000Z", recordedBy: "me\u{7}\n", prevHash: "00ff", hash: "")
        func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
        let (id, type, stream, occurred) = (
            bytes(stored.id), bytes(stored.type), bytes(stored.stream), bytes(stored.occurredOn)
        )
        let (source, data, at, by, previous) = (
            bytes(stored.sourceJSON), bytes(stored.dataJSON), bytes(stored.recordedAt), bytes(stored.recordedBy),
            bytes(stored.prevHash)
        )
        var record = CanonicalRecord()
        id.withUnsafeBufferPointer { id in
            type.withUnsafeBufferPointer { type in
                stream.withUnsafeBufferPointer { stream in
                    occurred.withUnsafeBufferPointer { occurred in
                        source.withUnsafeBufferPointer { source in
                            data.withUnsafeBufferPointer { data in
                                at.withUnsafeBufferPointer { at in
                                    by.withUnsafeBufferPointer { by in
                                        previous.withUnsafeBufferPointer { previous in
                                            record.write(
                                                StoredColumns(
                                                    seq: stored.seq, id: id, type: type, stream: stream,
                                                    streamVersion: stored.streamVersion, occurredOn: occurred,
                                                    source: source, data: data, recordedAt: at, recordedBy: by,
                                                    prevHash: previous))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        #expect(record.bytes == stored.canonicalBytes(includingHash: false))
        #expect(String(decoding: record.hashHex(), as: UTF8.self) == stored.computedHash())
    }

    /// `published_on` read from the bytes, whenever that reading answers, is what the full
    /// reader finds; escapes, repeated or misplaced keys are left to the full reader.
    @Test func publishedOnFromBytesAgreesWithTheReader() throws {
        let sources = [
            #"{"publisher":"A"}"#, #"{"published_on":"2020-01-02","publisher":"A"}"#,
            #"{"published_on":"2020-01-02","publisher":"A","title":"\"published_on\""}"#,
            #"{"publisher":"A","published_on":"2020-01-02"}"#, #"{"published\u005fon":"2020-01-02","publisher":"A"}"#,
            #"{"published_on":"2020-01-02","published_on":"2021-01-02","publisher":"A"}"#,
            #"{"publisher":"A","title":"published_on"}"#, #"{"title":"T","publisher":"A"}"#, #"{"published_on":5}"#,
        ]
        var answered = 0
        for text in sources {
            let bytes = Array(text.utf8)
            let fast = bytes.withUnsafeBufferPointer { buffer in
                Source.publishedOn(inCanonical: buffer).map { $0.map { String(decoding: $0, as: UTF8.self) } }
            }
            guard let fast else { continue }
            answered += 1
            let parsed = try StrictJSONReader().read(bytes)
            guard case .object(let object) = parsed else { continue }
            if case .string(let day)? = object["published_on"] {
                #expect(fast == day, "\(text)")
            } else {
                #expect(fast == nil, "\(text)")
            }
        }
        #expect(answered == 2)
    }
}
