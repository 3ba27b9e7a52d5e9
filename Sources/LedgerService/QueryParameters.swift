import Foundation
import LedgerAnswers
import LedgerDomain

/// A request's query parameters, read once: each name at most once, only those the endpoint
/// takes (else 400), values percent-decoded (`+` is a space, as forms send it).
public struct QueryParameters: Sendable {
    private var values: [String: String] = [:]
    /// The names in the order given (the access log shows them, never their values).
    public private(set) var names: [String] = []

    public init(query: String?) throws(APIFailure) {
        guard let query, !query.isEmpty else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), !name.isEmpty else {
                throw .badRequest("a query parameter's name is not percent-encoded UTF-8")
            }
            guard let value = Self.decode(parts.count > 1 ? parts[1] : "") else {
                throw .badRequest("query parameter \(name): not percent-encoded UTF-8")
            }
            guard values.updateValue(value, forKey: name) == nil else {
                throw .badRequest("query parameter \(name) is given more than once")
            }
            names.append(name)
        }
    }

    /// The names only (`q&as_of`), for the access log.
    public static func names(of query: String?) -> String {
        guard let query, !query.isEmpty else { return "" }
        return query.split(separator: "&").map { $0.split(separator: "=", maxSplits: 1).first.map(String.init) ?? "" }
            .joined(separator: "&")
    }

    private static func decode(_ text: Substring) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// Refuses any parameter not in `allowed`.
    public func allowOnly(_ allowed: Set<String>) throws(APIFailure) {
        for name in names where !allowed.contains(name) {
            throw .badRequest(
                "unknown query parameter \(name) (this endpoint takes: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    public subscript(name: String) -> String? { values[name] }

    /// `as_of`: a day, `YYYY-MM-DD`; today (UTC) when not given.
    public func asOf() throws(APIFailure) -> Day {
        guard let text = values["as_of"] else { return Day.today }
        guard let day = Day(text) else { throw .badRequest("as_of: \"\(text)\" is not a valid day YYYY-MM-DD") }
        return day
    }

    /// A whole number in `range`.
    public func integer(_ name: String, in range: ClosedRange<Int64>) throws(APIFailure) -> Int64? {
        guard let text = values[name] else { return nil }
        guard let value = Int64(text), String(value) == text else {
            throw .badRequest("\(name): \"\(text)\" is not a whole number")
        }
        guard range.contains(value) else {
            throw .badRequest("\(name): \(value) is out of range \(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }

    /// `threshold`, 0…1.
    public func threshold(default value: Double) throws(APIFailure) -> Double {
        guard let text = values["threshold"] else { return value }
        guard let threshold = Double(text), threshold.isFinite, (0...1).contains(threshold) else {
            throw .badRequest("threshold must be between 0 and 1")
        }
        return threshold
    }

    /// The ledger as it stood: `at_seq`, or `recorded_until` read against the log.
    public func atSeq(recordedUntil seq: (String) throws -> Int64) throws -> Int64? {
        let atSeq = try integer("at_seq", in: 0...Int64.max)
        guard let until = values["recorded_until"] else { return atSeq }
        guard let normalized = RecordedTime.normalized(until) else {
            throw APIFailure.badRequest("recorded_until: \"\(until)\" is not an RFC 3339 UTC timestamp")
        }
        // Both given: the ledger as it stood at the earlier of the two.
        let untilSeq = try seq(normalized)
        return min(atSeq ?? untilSeq, untilSeq)
    }
}
