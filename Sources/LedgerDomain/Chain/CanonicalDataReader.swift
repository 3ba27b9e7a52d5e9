/// Reads the canonical JSON of a stored event's `data` and `source` straight into their
/// typed form: no JSON tree, and none of the checks appending made, which the chain vouches
/// for (replay and reports parse, they do not validate again).
///
/// Only the layout the ledger writes is read: no white space, no escape in a string,
/// integers only, every required member present. Anything else gives nil and the caller
/// reads the bytes the strict way: a string with an escape, bytes that are not UTF-8, or a
/// corrected version's data that its type does not admit (see `EventContent`).
public enum CanonicalDataReader {
    /// The typed `data` of an event of `type`, or nil.
    public static func payload(_ type: EventType, from bytes: UnsafeBufferPointer<UInt8>) -> EventPayload? {
        var cursor = CanonicalCursor(bytes: bytes)
        guard let payload = cursor.payload(type), cursor.isAtEnd else { return nil }
        return payload
    }

    /// The typed `source`, or nil.
    public static func source(from bytes: UnsafeBufferPointer<UInt8>) -> Source? {
        var cursor = CanonicalCursor(bytes: bytes)
        var publisher: String?
        var source = Source(publisher: "")
        let read = cursor.object { cursor, key in
            switch key {
            case "publisher": publisher = cursor.string()
            case "published_on":
                guard let day = cursor.day() else { return false }
                source.publishedOn = day
            case "sha256":
                guard let sha256 = cursor.string() else { return false }
                source.sha256 = sha256
            case "title":
                guard let title = cursor.string() else { return false }
                source.title = title
            case "url":
                guard let url = cursor.string() else { return false }
                source.url = url
            default: return false
            }
            return true
        }
        guard read, cursor.isAtEnd, let publisher else { return nil }
        source.publisher = publisher
        return source
    }
}

/// A member name, compared with the names the payloads use.
struct MemberName {
    let bytes: UnsafeBufferPointer<UInt8>

    static func ~= (name: StaticString, key: MemberName) -> Bool {
        name.utf8CodeUnitCount == key.bytes.count
            && UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount).elementsEqual(key.bytes)
    }
}

/// A position in canonical JSON bytes; every reader gives nil (or false) at the first byte
/// it does not expect.
struct CanonicalCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    var isAtEnd: Bool { position == bytes.count }

    mutating func take(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// Reads an object; `member` reads the value of each member after its name.
    mutating func object(_ member: (inout CanonicalCursor, MemberName) -> Bool) -> Bool {
        guard take(UInt8(ascii: "{")) else { return false }
        if take(UInt8(ascii: "}")) { return true }
        repeat {
            guard let name = rawString(), take(UInt8(ascii: ":")) else { return false }
            guard member(&self, MemberName(bytes: UnsafeBufferPointer(rebasing: bytes[name]))) else { return false }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    /// Reads an array; `element` reads each element.
    mutating func array(_ element: (inout CanonicalCursor) -> Bool) -> Bool {
        guard take(UInt8(ascii: "[")) else { return false }
        if take(UInt8(ascii: "]")) { return true }
        repeat {
            guard element(&self) else { return false }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]"))
    }

    /// The bytes of a string with no escape, its quotes left out.
    mutating func rawString() -> Range<Int>? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return start..<(position - 1)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            position += 1
        }
        return nil
    }

    mutating func string() -> String? {
        guard let range = rawString() else { return nil }
        let text = UnsafeBufferPointer(rebasing: bytes[range])
        if text.allSatisfy({ $0 < 0x80 }) { return String(decoding: text, as: UTF8.self) }
        return String(validating: text, as: UTF8.self)
    }

    mutating func strings() -> [String]? {
        var strings: [String] = []
        let read = array { cursor in
            guard let text = cursor.string() else { return false }
            strings.append(text)
            return true
        }
        return read ? strings : nil
    }

    mutating func integer() -> Int64? {
        let negative = take(UInt8(ascii: "-"))
        var value: Int64 = 0
        var digits = 0
        while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(bytes[position] - UInt8(ascii: "0")))
            guard !overflow, !overflow2 else { return nil }
            value = sum
            digits += 1
            position += 1
        }
        guard digits > 0, position == bytes.count || !Self.continuesNumber(bytes[position]) else { return nil }
        return negative ? -value : value
    }

    private static func continuesNumber(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }

    mutating func day() -> Day? {
        guard let range = rawString() else { return nil }
        return Day(utf8: UnsafeBufferPointer(rebasing: bytes[range]))
    }

    mutating func choice<Choice: RawRepresentable>(_ type: Choice.Type) -> Choice? where Choice.RawValue == String {
        string().flatMap(Choice.init(rawValue:))
    }

    mutating func identifiers() -> [Identifier]? {
        var identifiers: [Identifier] = []
        let read = array { cursor in
            var kind: IdentifierKind?
            var value: String?
            let read = cursor.object { cursor, key in
                switch key {
                case "kind": kind = cursor.choice(IdentifierKind.self)
                case "value": value = cursor.string()
                default: return false
                }
                return true
            }
            guard read, let kind, let value else { return false }
            identifiers.append(Identifier(kind: kind, value: value))
            return true
        }
        return read ? identifiers : nil
    }

    /// A value of any JSON type, read by the strict reader (a correction's patch).
    mutating func anyObject() -> JSONObject? {
        let start = position
        guard skipValue() else { return nil }
        let reader = StrictJSONReader(limits: JSONLimits(maxDepth: 64, maxStringBytes: .max))
        return (try? reader.read(UnsafeBufferPointer(rebasing: bytes[start..<position])))?.objectValue
    }

    /// Moves past one value of any JSON type, escapes and nesting included, to the `,` or
    /// closing bracket after it.
    private mutating func skipValue() -> Bool {
        var depth = 0
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return true }
                depth -= 1
            case UInt8(ascii: ","):
                if depth == 0 { return true }
            case UInt8(ascii: "\""):
                position += 1
                while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
                    position += bytes[position] == UInt8(ascii: "\\") ? 2 : 1
                }
            default:
                break
            }
            position += 1
        }
        return false
    }
}

extension CanonicalCursor {
    /// The typed data of an event of `type`.
    mutating func payload(_ type: EventType) -> EventPayload? {
        switch type {
        case .resolutionAdopted: resolutionAdopted().map(EventPayload.resolutionAdopted)
        case .statementIssued: statementIssued().map(EventPayload.statementIssued)
        case .actorIdentified: actorIdentified().map(EventPayload.actorIdentified)
        case .theftReported: theftReported().map(EventPayload.theftReported)
        case .attributionMade: attributionMade().map(EventPayload.attributionMade)
        case .figureReported: figureReported().map(EventPayload.figureReported)
        case .designationAdded: designationAdded().map(EventPayload.designationAdded)
        case .designationAmended: designationAmended().map(EventPayload.designationAmended)
        case .designationRemoved: designationRemoved().map(EventPayload.designationRemoved)
        case .complianceReported: complianceReported().map(EventPayload.complianceReported)
        case .eventRetracted: eventRetracted().map(EventPayload.eventRetracted)
        case .eventCorrected: eventCorrected().map(EventPayload.eventCorrected)
        }
    }

    mutating func resolutionAdopted() -> ResolutionAdopted? {
        var symbol: String?
        var body: String?
        var title: String?
        var obligations: [Obligation]?
        let read = object { cursor, key in
            switch key {
            case "symbol": symbol = cursor.string()
            case "body": body = cursor.string()
            case "title": title = cursor.string()
            case "obligations": obligations = cursor.obligations()
            default: return false
            }
            return true
        }
        guard read, let symbol, let body, let title, let obligations, !obligations.isEmpty else { return nil }
        return ResolutionAdopted(symbol: symbol, body: body, title: title, obligations: obligations)
    }

    mutating func obligations() -> [Obligation]? {
        var obligations: [Obligation] = []
        let read = array { cursor in
            var id: String?
            var summary: String?
            var appliesTo: String?
            var deadline: Day?
            let read = cursor.object { cursor, key in
                switch key {
                case "id": id = cursor.string()
                case "summary": summary = cursor.string()
                case "applies_to":
                    appliesTo = cursor.string()
                    return appliesTo != nil
                case "deadline":
                    deadline = cursor.day()
                    return deadline != nil
                default: return false
                }
                return true
            }
            guard read, let id, let summary else { return false }
            obligations.append(Obligation(id: id, summary: summary, appliesTo: appliesTo, deadline: deadline))
            return true
        }
        return read ? obligations : nil
    }

    mutating func statementIssued() -> StatementIssued? {
        var issuers: [String]?
        var kind: StatementKind?
        var summary: String?
        var mentions: [String]?
        let read = object { cursor, key in
            switch key {
            case "issuers": issuers = cursor.strings()
            case "kind": kind = cursor.choice(StatementKind.self)
            case "summary": summary = cursor.string()
            case "mentions": mentions = cursor.strings()
            default: return false
            }
            return true
        }
        guard read, let issuers, !issuers.isEmpty, let kind, let summary, let mentions else { return nil }
        return StatementIssued(issuers: issuers, kind: kind, summary: summary, mentions: mentions)
    }

    mutating func actorIdentified() -> ActorIdentified? {
        var name: String?
        var aliases: [String]?
        var sponsorState: String?
        let read = object { cursor, key in
            switch key {
            case "name": name = cursor.string()
            case "aliases": aliases = cursor.strings()
            case "sponsor_state":
                sponsorState = cursor.string()
                return sponsorState != nil
            default: return false
            }
            return true
        }
        guard read, let name, let aliases else { return nil }
        return ActorIdentified(name: name, aliases: aliases, sponsorState: sponsorState)
    }

    mutating func theftReported() -> TheftReported? {
        var victim: String?
        var victimCountry: String?
        var amount: Int64?
        var assets: [String]?
        var methods: [String]?
        let read = object { cursor, key in
            switch key {
            case "victim": victim = cursor.string()
            case "victim_country":
                victimCountry = cursor.string()
                return victimCountry != nil
            case "amount_usd": amount = cursor.integer()
            case "assets": assets = cursor.strings()
            case "methods": methods = cursor.strings()
            default: return false
            }
            return true
        }
        guard read, let victim, let amount, let assets, let methods else { return nil }
        return TheftReported(
            victim: victim, victimCountry: victimCountry, amountUSD: amount, assets: assets, methods: methods)
    }

    mutating func attributionMade() -> AttributionMade? {
        var actor: String?
        var attributedBy: String?
        var confidence: Confidence?
        let read = object { cursor, key in
            switch key {
            case "actor": actor = cursor.string()
            case "attributed_by": attributedBy = cursor.string()
            case "confidence": confidence = cursor.choice(Confidence.self)
            default: return false
            }
            return true
        }
        guard read, let actor, let attributedBy, let confidence else { return nil }
        return AttributionMade(actor: actor, attributedBy: attributedBy, confidence: confidence)
    }

    mutating func figureReported() -> FigureReported? {
        var metric: Metric?
        var subject: String?
        var period: Int?
        var value: Int64?
        let read = object { cursor, key in
            switch key {
            case "metric": metric = cursor.choice(Metric.self)
            case "subject": subject = cursor.string()
            case "period":
                guard let text = cursor.string(), text.utf8.count == 4,
                    text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
                else { return false }
                period = Int(text)
            case "value": value = cursor.integer()
            default: return false
            }
            return true
        }
        guard read, let metric, let subject, let period, let value else { return nil }
        return FigureReported(metric: metric, subject: subject, period: period, value: value)
    }

    mutating func designationAdded() -> DesignationAdded? {
        var list: String?
        var entity: String?
        var entityType: EntityType?
        var aliases: [String]?
        var identifiers: [Identifier]?
        var program: String?
        var weakAliases: [String]?
        var originalScriptNames: [String]?
        let read = object { cursor, key in
            switch key {
            case "list": list = cursor.string()
            case "entity": entity = cursor.string()
            case "entity_type": entityType = cursor.choice(EntityType.self)
            case "aliases": aliases = cursor.strings()
            case "identifiers": identifiers = cursor.identifiers()
            case "program":
                program = cursor.string()
                return program != nil
            case "weak_aliases":
                weakAliases = cursor.strings()
                return weakAliases != nil
            case "original_script_names":
                originalScriptNames = cursor.strings()
                return originalScriptNames != nil
            default: return false
            }
            return true
        }
        guard read, let list, let entity, let entityType, let aliases, let identifiers else { return nil }
        return DesignationAdded(
            list: list, entity: entity, entityType: entityType, aliases: aliases, identifiers: identifiers,
            program: program, weakAliases: weakAliases, originalScriptNames: originalScriptNames)
    }

    mutating func designationAmended() -> DesignationAmended? {
        var addIdentifiers: [Identifier]?
        var removeIdentifiers: [Identifier]?
        var addAliases: [String]?
        var removeAliases: [String]?
        var addWeakAliases: [String]?
        var removeWeakAliases: [String]?
        var addOriginalScriptNames: [String]?
        var removeOriginalScriptNames: [String]?
        var entity: String?
        var program: String?
        let read = object { cursor, key in
            switch key {
            case "add_identifiers":
                addIdentifiers = cursor.identifiers()
                return addIdentifiers != nil
            case "remove_identifiers":
                removeIdentifiers = cursor.identifiers()
                return removeIdentifiers != nil
            case "add_aliases":
                addAliases = cursor.strings()
                return addAliases != nil
            case "remove_aliases":
                removeAliases = cursor.strings()
                return removeAliases != nil
            case "add_weak_aliases":
                addWeakAliases = cursor.strings()
                return addWeakAliases != nil
            case "remove_weak_aliases":
                removeWeakAliases = cursor.strings()
                return removeWeakAliases != nil
            case "add_original_script_names":
                addOriginalScriptNames = cursor.strings()
                return addOriginalScriptNames != nil
            case "remove_original_script_names":
                removeOriginalScriptNames = cursor.strings()
                return removeOriginalScriptNames != nil
            case "entity":
                entity = cursor.string()
                return entity != nil
            case "program":
                program = cursor.string()
                return program != nil
            default: return false
            }
        }
        let amended = DesignationAmended(
            addIdentifiers: addIdentifiers, removeIdentifiers: removeIdentifiers, addAliases: addAliases,
            removeAliases: removeAliases, addWeakAliases: addWeakAliases, removeWeakAliases: removeWeakAliases,
            addOriginalScriptNames: addOriginalScriptNames, removeOriginalScriptNames: removeOriginalScriptNames,
            entity: entity, program: program)
        // The one rule across members: data that a correction emptied is not an amendment.
        guard read, amended.changesSomething else { return nil }
        return amended
    }

    mutating func designationRemoved() -> DesignationRemoved? {
        var reason: String?
        let read = object { cursor, key in
            guard case "reason" = key else { return false }
            reason = cursor.string()
            return true
        }
        guard read, let reason else { return nil }
        return DesignationRemoved(reason: reason)
    }

    mutating func complianceReported() -> ComplianceReported? {
        var obligation: String?
        var party: String?
        var status: ComplianceStatus?
        var summary: String?
        let read = object { cursor, key in
            switch key {
            case "obligation": obligation = cursor.string()
            case "party": party = cursor.string()
            case "status": status = cursor.choice(ComplianceStatus.self)
            case "summary": summary = cursor.string()
            default: return false
            }
            return true
        }
        guard read, let obligation, let party, let status, let summary else { return nil }
        return ComplianceReported(obligation: obligation, party: party, status: status, summary: summary)
    }

    mutating func eventRetracted() -> EventRetracted? {
        var target: String?
        var reason: String?
        let read = object { cursor, key in
            switch key {
            case "target": target = cursor.string()
            case "reason": reason = cursor.string()
            default: return false
            }
            return true
        }
        guard read, let target, let reason else { return nil }
        return EventRetracted(target: EventID(target), reason: reason)
    }

    mutating func eventCorrected() -> EventCorrected? {
        var target: String?
        var patch: JSONObject?
        var reason: String?
        let read = object { cursor, key in
            switch key {
            case "target": target = cursor.string()
            case "patch": patch = cursor.anyObject()
            case "reason": reason = cursor.string()
            default: return false
            }
            return true
        }
        guard read, let target, let patch, !patch.isEmpty, let reason else { return nil }
        return EventCorrected(target: EventID(target), patch: patch, reason: reason)
    }
}
