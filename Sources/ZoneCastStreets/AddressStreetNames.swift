import Foundation

/// One street named in an address, normalised so that spellings of the same street meet: "E 35th St",
/// "East 35th Street" and "E. 35TH ST" all have base "35TH", suffix "ST" and direction "E".
public struct AddressStreetName: Hashable, Sendable {
    /// The name without house number, direction prefix or street-type suffix, upper case ("35TH", "PROSPECT",
    /// "ST JOHN"); for a numbered route its canonical form ("I-70", "US 71", "SR 9", "HWY 71").
    public var base: String
    /// The street type in its USPS abbreviation ("ST", "AVE", "BLVD", "TER"...), nil when the address left it out.
    public var suffix: String?
    /// The direction prefix ("E", "NW"...), nil when none was given.
    public var direction: String?
    /// Interstates, US and state routes and bare highway numbers: no direction, no suffix.
    public var isRoute: Bool

    public init(base: String, suffix: String? = nil, direction: String? = nil, isRoute: Bool = false) {
        self.base = base
        self.suffix = suffix
        self.direction = direction
        self.isRoute = isRoute
    }

    /// "E 35th St", "Prospect Ave", "I-70": how maps and descriptions show it.
    public var displayName: String {
        if isRoute { return base.hasPrefix("HWY ") ? "Hwy " + base.dropFirst(4) : base }
        let words = [direction].compactMap { $0 } + [AddressStreetNames.titleCased(base)] + [suffix.map(AddressStreetNames.titleCased)].compactMap { $0 }
        return words.joined(separator: " ")
    }

    /// What a street name says of its class without any code: interstates and expressways are motorways, US and
    /// state routes primary; nil for everything else (unknown).
    public var evidentClass: StreetClass? {
        if isRoute { return base.hasPrefix("I-") ? .motorway : .primary }
        return ["EXPY", "FWY", "TOLL"].contains(suffix ?? "") ? .motorway : nil
    }
}

/// Street names from address text as incident records write it (Gun Violence Archive, crash reports): "9331
/// Hillcrest Rd", "4900 block of Brookside Blvd", "31XX Main", "E 35th St and Prospect Ave", "E. 19th and Vine
/// streets", "QuikTrip on 44th and Main", "US-71 BRUCE R WATKINS DR". Pure and deterministic.
///
/// - A comma ends the street part ("Kansas City, MO 64153" is "Kansas City").
/// - "and", "&", "/" and "at" separate the two streets of an intersection; "on", "at" and "near" after a place that
///   does not look like a street (no street type, route or number) drop that place ("QuikTrip on 44th and Main").
/// - House numbers and block numbers go ("9331", "31XX", "3100-3200", "the 4900 block of").
/// - Periods go; "&" and "-" are spaces; words are upper-cased; directions (East, E., N.W.) and street types
///   (Street, Avenue, Terrace, Trafficway...) become their USPS abbreviations; "Eighth" is "8TH" and a bare
///   number before a type ("E 45 Terrace") an ordinal. A plural type ("19th and Vine streets") is given to the
///   other streets of the address too.
/// - Routes: "Interstate 435", "I-435" are "I-435"; "US Highway 69", "US-71" are "US 71"; "MO 9", "SR-152",
///   "Route V", "State Highway 7" are "SR 9" and so on; "Hwy 71" stays "HWY 71" (which system is not said). A
///   route followed by a name ("US-24 INDEPENDENCE AVE") names both; ramps and outer roads ("I-35 RP") only the route.
///   A "CR-" county-road prefix before a name is dropped.
public enum AddressStreetNames {
    static let directions: [String: String] = [
        "N": "N", "S": "S", "E": "E", "W": "W", "NE": "NE", "NW": "NW", "SE": "SE", "SW": "SW",
        "NORTH": "N", "SOUTH": "S", "EAST": "E", "WEST": "W", "NORTHEAST": "NE", "NORTHWEST": "NW", "SOUTHEAST": "SE", "SOUTHWEST": "SW",
    ]
    /// Street types, spelled out and abbreviated, to their USPS abbreviation; plurals as in "Vine and 19th streets".
    static let suffixes: [String: String] = [
        "STREET": "ST", "ST": "ST", "STR": "ST", "AVENUE": "AVE", "AVE": "AVE", "AV": "AVE", "BOULEVARD": "BLVD", "BLVD": "BLVD",
        "ROAD": "RD", "RD": "RD", "DRIVE": "DR", "DR": "DR", "TERRACE": "TER", "TER": "TER", "TERR": "TER", "PARKWAY": "PKWY",
        "PKWY": "PKWY", "PKY": "PKWY", "PLACE": "PL", "PL": "PL", "LANE": "LN", "LN": "LN", "COURT": "CT", "CT": "CT",
        "CIRCLE": "CIR", "CIR": "CIR", "TRAFFICWAY": "TRFY", "TRFWY": "TRFY", "TRFY": "TRFY", "TFWY": "TRFY",
        "EXPRESSWAY": "EXPY", "EXPY": "EXPY", "FREEWAY": "FWY", "FWY": "FWY", "TOLLWAY": "TOLL", "TOLL": "TOLL", "WAY": "WAY",
        "PLAZA": "PLZ", "PLZ": "PLZ", "TRAIL": "TRL", "TRL": "TRL", "SQUARE": "SQ", "SQ": "SQ",
    ]
    static let pluralSuffixes: [String: String] = [
        "STREETS": "ST", "STS": "ST", "AVENUES": "AVE", "AVES": "AVE", "BOULEVARDS": "BLVD", "ROADS": "RD", "TERRACES": "TER",
        "PARKWAYS": "PKWY", "DRIVES": "DR",
    ]
    static let ordinalWords = ["FIRST", "SECOND", "THIRD", "FOURTH", "FIFTH", "SIXTH", "SEVENTH", "EIGHTH", "NINTH", "TENTH",
                               "ELEVENTH", "TWELFTH", "THIRTEENTH", "FOURTEENTH", "FIFTEENTH", "SIXTEENTH", "SEVENTEENTH",
                               "EIGHTEENTH", "NINETEENTH", "TWENTIETH"]
    /// Words after a route that mean a ramp or an outer road of it, not a street of its own.
    static let routeTails: Set<String> = ["RP", "RAMP", "EOR", "WOR", "NOR", "SOR", "EB", "WB", "NB", "SB", "EXIT"]

    /// The streets an address names, in the order written; empty when it names none. Repeats are kept once.
    public static func streets(in address: String) -> [AddressStreetName] {
        var text = address.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        text = text.uppercased().replacingOccurrences(of: ".", with: "").replacingOccurrences(of: "&", with: " AND ")
            .replacingOccurrences(of: "/", with: " AND ").replacingOccurrences(of: "-", with: " ")
        let words = text.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "'" }).map(String.init)
        // Parts between connectors; a part before "on"/"near" (or an "at" that follows a place) that is no street is a place.
        var parts = [[String]](), current = [String]()
        for word in words {
            switch word {
            case "AND":
                parts.append(current)
                current = []
            case "ON", "NEAR", "AT":
                if !looksLikeStreet(current) { current = [] } else { parts.append(current); current = [] }
            default:
                current.append(word)
            }
        }
        parts.append(current)
        var names = [AddressStreetName](), pluralSuffix: String?
        for part in parts {
            var tokens = part
            if let last = tokens.last, let s = pluralSuffixes[last], tokens.count > 1 {
                pluralSuffix = s
                tokens[tokens.count - 1] = s
            }
            names += parse(tokens)
        }
        if let plural = pluralSuffix {
            for k in names.indices where !names[k].isRoute && names[k].suffix == nil { names[k].suffix = plural }
        }
        var seen = Set<AddressStreetName>()
        return names.filter { seen.insert($0).inserted }
    }

    /// Whether words could be a street: a type, a route word, or a number in them.
    static func looksLikeStreet(_ words: [String]) -> Bool {
        guard let last = words.last else { return false }
        return suffixes[last] != nil || pluralSuffixes[last] != nil || words.contains { $0.first?.isNumber == true }
            || words.contains { ["INTERSTATE", "HWY", "HIGHWAY", "US", "ROUTE"].contains($0) }
    }

    static func isNumber(_ w: String) -> Bool { !w.isEmpty && w.allSatisfy(\.isNumber) }

    /// A house or block number: digits, digits with a letter ("1234A"), or a hundred-block ("31XX").
    static func isHouseNumber(_ w: String) -> Bool {
        guard let first = w.first, first.isNumber else { return false }
        if w.hasSuffix("XX"), isNumber(String(w.dropLast(2))) { return true }
        let digits = w.prefix { $0.isNumber }
        return w.count - digits.count <= 1 && !(w.hasSuffix("ST") || w.hasSuffix("ND") || w.hasSuffix("RD") || w.hasSuffix("TH"))
    }

    /// One part's words (upper case, no punctuation) to zero, one or two street names.
    static func parse(_ part: [String]) -> [AddressStreetName] {
        var t = ArraySlice(part)
        // "THE 4900 BLOCK OF", "3100 3200 BLOCK", "9331": numbers before the street, unless the number is the street ("45 TER").
        if t.first == "THE", t.count > 1, isHouseNumber(t[t.startIndex + 1]) { t = t.dropFirst() }
        while let w = t.first, isHouseNumber(w), t.count > 1, !(t.count == 2 && suffixes[t.last!] != nil) { t = t.dropFirst() }
        if t.first == "BLOCK" || t.first == "BLK" { t = t.dropFirst() }
        if t.first == "OF" { t = t.dropFirst() }
        if t.first == "CR", t.count > 1, !isNumber(t[t.startIndex + 1]) { t = t.dropFirst() }
        var direction: String?
        if let w = t.first, let d = directions[w], t.count > 1 {
            let rest = t.dropFirst()
            // "Southwest Trfy", "East Ave": a direction followed only by a type is the name itself.
            if !(rest.count == 1 && suffixes[rest.first!] != nil) {
                direction = d
                t = rest
            }
        }
        if let numbered = route(t) {
            let rest = numbered.rest, tail = numbered.rest.filter { !isNumber($0) }
            if tail.isEmpty || tail.contains(where: routeTails.contains) { return [numbered.name] }
            return [numbered.name] + parse(Array(rest))
        }
        var suffix: String?
        if t.count > 1, let s = suffixes[t.last!] {
            suffix = s
            t = t.dropLast()
        }
        if t.first == "THE", t.count > 1 { t = t.dropFirst() }
        var base = Array(t)
        if base.count == 1, let k = ordinalWords.firstIndex(of: base[0]) { base[0] = ordinal(k + 1) }
        if base.count == 1, isNumber(base[0]), direction != nil || suffix != nil, let n = Int(base[0]) { base[0] = ordinal(n) }
        guard !base.isEmpty, base.contains(where: { $0.contains { $0.isLetter } }) else { return [] }
        return [AddressStreetName(base: base.joined(separator: " "), suffix: suffix, direction: direction)]
    }

    /// A numbered route at the start of the words, and the words after it.
    static func route(_ t: ArraySlice<String>) -> (name: AddressStreetName, rest: ArraySlice<String>)? {
        let w = Array(t)
        func number(_ k: Int, letters: Bool = false) -> String? {
            guard k < w.count else { return nil }
            if isNumber(w[k]) { return w[k] }
            return letters && w[k].count <= 2 && w[k].allSatisfy(\.isLetter) ? w[k] : nil
        }
        func found(_ base: String, _ used: Int) -> (name: AddressStreetName, rest: ArraySlice<String>) {
            (AddressStreetName(base: base, isRoute: true), t.dropFirst(used))
        }
        guard let first = w.first else { return nil }
        let highway: Set<String> = ["HWY", "HIGHWAY", "ROUTE", "RTE", "RT"]
        switch first {
        case "INTERSTATE", "I", "IH":
            if let n = number(1) { return found("I-\(n)", 2) }
        case "US", "USHWY":
            if let n = number(1) { return found("US \(n)", 2) }
            if w.count > 1, highway.contains(w[1]), let n = number(2) { return found("US \(n)", 3) }
        case "MO", "SR", "MISSOURI", "ROUTE", "RTE", "RT":
            if let n = number(1, letters: first != "MISSOURI") { return found("SR \(n)", 2) }
        case "STATE":
            if w.count > 1, highway.contains(w[1]), let n = number(2, letters: true) { return found("SR \(n)", 3) }
        case "HWY", "HIGHWAY":
            if let n = number(1) { return found("HWY \(n)", 2) }
        default:
            break
        }
        return nil
    }

    /// 1 to "1ST", 22 to "22ND", 13 to "13TH".
    static func ordinal(_ n: Int) -> String {
        let tail = (n % 100 >= 11 && n % 100 <= 13) ? "TH" : (n % 10 == 1 ? "ST" : n % 10 == 2 ? "ND" : n % 10 == 3 ? "RD" : "TH")
        return "\(n)\(tail)"
    }

    /// "35TH" to "35th", "ST JOHN" to "St John": each word's first character kept, the rest lower case; Roman
    /// numerals stay upper case ("EMANUEL CLEAVER II BLVD" is "Emanuel Cleaver II Blvd").
    static func titleCased(_ text: String) -> String {
        text.split(separator: " ").map { word in
            ["II", "III", "IV"].contains(word) ? String(word) : word.prefix(1).uppercased() + word.dropFirst().lowercased()
        }.joined(separator: " ")
    }
}
