/// What a reported figure measures.
public enum Metric: String, Sendable, CaseIterable {
    case cryptoStolenUSD = "crypto_stolen_usd"
}

/// `figure.reported`: a published aggregate, such as Chainalysis's $1.7B stolen by DPRK-linked hackers in 2022.
public struct FigureReported: Sendable, Equatable {
    public var metric: Metric
    /// A stream name or a country code.
    public var subject: String
    /// The year the figure covers.
    public var period: Int
    public var value: Int64

    init(_ data: JSONObject, path: String) throws(EventValidationError) {
        let reader = try FieldReader(data, path: path, allowed: ["metric", "subject", "period", "value"])
        metric = try reader.choice("metric", as: Metric.self)
        let subject = try reader.string("subject")
        if !FieldReader.isCountryCode(subject) && StreamName.problem(with: subject) != nil {
            throw EventValidationError(
                field: reader.field("subject"),
                reason: "\"\(subject)\" must be a stream name (<kind>/<slug>) or an ISO 3166-1 alpha-2 code")
        }
        self.subject = subject
        let period = try reader.string("period")
        guard period.utf8.count == 4, period.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let year = Int(period), year >= 1
        else {
            throw EventValidationError(field: reader.field("period"), reason: "\"\(period)\" must be a year YYYY")
        }
        self.period = year
        value = try reader.money("value")
    }

    /// The period as `data` writes it: four digits.
    public var periodText: String {
        let digits = String(period)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
