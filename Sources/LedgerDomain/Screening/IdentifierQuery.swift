import Foundation

/// A screening query read as an identifier, the way people paste one (contract section 11):
/// invisible characters removed, compatibility forms and look-alike letters folded, a URI
/// scheme (`ethereum:`, `eth:`, `bitcoin:`, `tron:`) and what follows an address in a payment
/// URI (`?amount=…`, `@1`) dropped, surrounding punctuation and white space inside removed,
/// and 40 hexadecimal digits without `0x` read as an `0x` address. Each identifier is then
/// compared in its own kind's canonical form.
public struct IdentifierQuery: Sendable, Equatable {
    /// The query as an address: hex and bech32 addresses lower-cased, others as pasted.
    public let address: String
    /// The query as a document or registration number: upper case, no white space or `-`;
    /// empty when it holds no digit and is not a bank code's length (a name, not a number).
    public let document: String
    /// The document form without an `IMO` prefix: an IMO number.
    public let imo: String

    /// URI schemes of the payment links wallets write.
    static let schemes = ["ethereum:", "eth:", "bitcoin:", "btc:", "tron:", "trx:"]

    public init(_ query: String) {
        var text = String(
            String.UnicodeScalarView(query.unicodeScalars.filter { !ScriptFolding.isInvisible($0) }))
        if !text.utf8.allSatisfy({ $0 < 0x80 }) {
            text = ScriptFolding.mapConfusables(text.precomposedStringWithCompatibilityMapping)
        }
        text = text.trimmingWhitespace()
        let lowered = text.lowercased()
        if let scheme = Self.schemes.first(where: { lowered.hasPrefix($0) }) {
            text = String(text.dropFirst(scheme.count))
            // A payment URI's parameters and chain id follow the address.
            if let end = text.firstIndex(where: { $0 == "?" || $0 == "@" || $0 == "/" }) { text = String(text[..<end]) }
        }
        let compact = String(
            text.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init)
        ).trimmingSurroundingPunctuation()
        var address = compact
        if address.utf8.count == 40, address.utf8.allSatisfy(\.isHexDigit) { address = "0x" + address }
        address = Identifier.canonicalValue(address, kind: nil)
        self.address = address
        let document = Identifier.documentForm(compact, kind: .passport)
        let isNumber = document.unicodeScalars.contains { ("0"..."9").contains($0) }
        let isBankCode = (document.count == 8 || document.count == 11) && document.utf8.allSatisfy(\.isAlphanumeric)
        self.document = isNumber || isBankCode ? document : ""
        imo = self.document.hasPrefix("IMO") ? String(self.document.dropFirst(3)) : self.document
    }

    /// Whether the query names `identifier`, each kind compared in its canonical form.
    public func matches(_ identifier: Identifier) -> Bool {
        let value = identifier.canonicalValue
        if identifier.kind == .imo { return !imo.isEmpty && imo == value }
        if identifier.kind.isDocument { return !document.isEmpty && document == value }
        if identifier.kind == .ethAddress { return address.lowercased() == value }
        return address == value || (!document.isEmpty && identifier.kind == .other && document == value)
    }

    /// The keys the screening index holds identifiers under (their canonical forms) that this
    /// query may match.
    public var indexKeys: Set<String> {
        var keys: Set<String> = [address, address.lowercased()]
        if !document.isEmpty {
            keys.insert(document)
            keys.insert(imo)
        }
        keys.remove("")
        return keys
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }

    fileprivate var isAlphanumeric: Bool {
        (0x30...0x39).contains(self) || (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self)
    }
}

extension String {
    /// Without the punctuation people paste around an address: quotes, brackets, commas,
    /// full stops, colons and semicolons at either end.
    fileprivate func trimmingSurroundingPunctuation() -> String {
        let surrounding: Set<Character> = [
            "\"", "'", "`", "(", ")", "[", "]", "{", "}", "<", ">", ",", ".", ";", ":", "«", "»", "“", "”", "‘", "’",
        ]
        var text = Substring(self)
        while let first = text.first, surrounding.contains(first) { text = text.dropFirst() }
        while let last = text.last, surrounding.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
