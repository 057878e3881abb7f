public import Foundation

/// How a city's street-centreline GeoJSON names and classes its streets, written as a small JSON file like the
/// incident mapping files (docs/MAPPING.md), because every city spells its columns differently:
///
/// ```json
/// {
///   "name": ["FULL_NAME", "STREET"],
///   "nameParts": ["PREFIX", "STREETNAME", "TYPE", "SUFFIX"],
///   "class": ["CLASS", "FUNC_CLASS"],
///   "classes": [
///     {"when": ["Interstate*", "1"], "class": "motorway"},
///     {"when": ["Arterial*", "Major*"], "class": "primary"},
///     {"when": ["Local"], "class": "residential"}
///   ],
///   "defaultClass": "residential"
/// }
/// ```
///
/// `name` lists alternative properties (the first non-empty wins); without one, `nameParts` are joined with
/// spaces (empty parts left out). `class` lists alternative properties; `classes` are tried in order against
/// its value, compared case-insensitively, `X*` meaning "starts with X". A value no rule matches takes
/// `defaultClass`, or, without one, is reported as a problem and drawn as `other`.
public struct StreetMapping: Hashable, Sendable, Codable {
    public struct ClassRule: Hashable, Sendable, Codable {
        public var when: [String]
        public var `class`: StreetClass

        public init(when: [String], class streetClass: StreetClass) {
            self.when = when
            self.class = streetClass
        }
    }

    public var name: [String]
    public var nameParts: [String]?
    public var `class`: [String]
    public var classes: [ClassRule]
    public var defaultClass: StreetClass?

    public init(name: [String], nameParts: [String]? = nil, class classProperties: [String], classes: [ClassRule],
                defaultClass: StreetClass? = nil) {
        self.name = name
        self.nameParts = nameParts
        self.class = classProperties
        self.classes = classes
        self.defaultClass = defaultClass
    }

    /// Reads a mapping file's JSON. Unknown classes and empty property lists are errors naming the field.
    public static func decode(_ data: Data) throws(StreetsError) -> StreetMapping {
        let mapping: StreetMapping
        do {
            mapping = try JSONDecoder().decode(StreetMapping.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            throw .invalidMapping(field: path(context.codingPath), value: "", reason: context.debugDescription)
        } catch let DecodingError.keyNotFound(key, context) {
            throw .invalidMapping(field: path(context.codingPath + [key]), value: "", reason: "missing")
        } catch let DecodingError.typeMismatch(_, context) {
            throw .invalidMapping(field: path(context.codingPath), value: "", reason: context.debugDescription)
        } catch {
            throw .invalidMapping(field: "(file)", value: "", reason: "\(error)")
        }
        return try mapping.validated()
    }

    public func validated() throws(StreetsError) -> StreetMapping {
        if name.isEmpty && (nameParts ?? []).isEmpty {
            throw .invalidMapping(field: "name", value: "[]", reason: "give at least one name property (or nameParts)")
        }
        if self.class.isEmpty && defaultClass == nil {
            throw .invalidMapping(field: "class", value: "[]", reason: "give a class property or a defaultClass")
        }
        for (k, rule) in classes.enumerated() where rule.when.isEmpty {
            throw .invalidMapping(field: "classes[\(k)].when", value: "[]", reason: "a rule needs at least one value")
        }
        return self
    }

    /// The class a property value maps to, nil when no rule matches.
    public func streetClass(for value: String) -> StreetClass? {
        let v = value.trimmingCharacters(in: .whitespaces).lowercased()
        for rule in classes where rule.when.contains(where: { Self.matches(v, pattern: $0) }) { return rule.class }
        return nil
    }

    static func matches(_ value: String, pattern: String) -> Bool {
        let p = pattern.lowercased()
        return p.hasSuffix("*") ? value.hasPrefix(p.dropLast()) : value == p
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "(file)" : keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
    }
}
