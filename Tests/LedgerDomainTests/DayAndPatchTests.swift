import Testing

@testable import LedgerDomain

@Suite struct DayTests {
    @Test(arguments: ["2019-12-22", "2020-02-29", "2000-02-29", "0001-01-01", "9999-12-31"])
    func realDaysParse(_ text: String) {
        #expect(Day(text)?.description == text)
    }

    @Test(arguments: [
        "2019-02-29", "1900-02-29", "2019-13-01", "2019-00-10", "2019-04-31", "2019-12-32", "0000-01-01",
        "19-12-22", "2019-1-22", "2019/12/22", "2019-12-22T00:00", " 2019-12-22", "２０１９-12-22",
    ])
    func otherFormsAreRefused(_ text: String) {
        #expect(Day(text) == nil)
    }

    @Test func daysOrderByCalendar() throws {
        #expect(try #require(Day("2019-12-22")) < #require(Day("2019-12-23")))
        #expect(try #require(Day("2019-12-31")) < #require(Day("2020-01-01")))
    }
}

@Suite struct MergePatchTests {
    let reader = StrictJSONReader()

    /// The examples of RFC 7396, appendix A.
    @Test(arguments: [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"a":"foo"}"#, #"null"#, #"null"#),
        (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"a":1,"e":null}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
    ])
    func rfc7396Examples(_ target: String, _ patch: String, _ expected: String) throws {
        let result = MergePatch.apply(try reader.read(patch), to: try reader.read(target))
        #expect(CanonicalJSON.string(of: result) == CanonicalJSON.string(of: try reader.read(expected)))
    }
}
