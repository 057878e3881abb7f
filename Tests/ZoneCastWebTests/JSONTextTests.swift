import Foundation
import Testing
@testable import ZoneCastWeb

/// The API's JSON writer is checked against Foundation's `JSONSerialization` (sorted keys, slashes unescaped),
/// which it replaced for speed: the same trees must give the same bytes.
@Suite struct JSONTextTests {
    func foundation(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }

    @Test func givenTheShapesTheRoutesBuildWhenWrittenThenTheBytesMatchFoundation() throws {
        // Given: a patrol like GET /api/patrols returns, a zone like /api/zones, and awkward scalars.
        let patrol: [String: Any] = [
            "id": "P-tp93gm-6u6FtS", "officer": "load-officer-7", "unit": NSNull(), "cycle": "C-2026-11-25T120000Z", "zone": "Z3",
            "startedAt": "2026-11-28T22:34:00Z", "minutes": 10.0, "withinRecommendedMinutes": true,
            "activities": ["communityContacts": 3, "businessChecks": 0, "fieldInterviews": 0, "minorInfractionCitations": 0, "otherCitations": 0, "arrests": 0],
            "enforcementActions": 0, "relationshipActions": 3, "notes": "met the \"block captain\" at 5/7 Main\\n\n\t\u{1}", "loggedAt": "2026-11-28T22:45:01Z",
        ]
        let zone: [String: Any] = ["cells": [1_204, 1_205, 1_290], "areaKm2": 0.0625, "forecastHarm": 12.345678901234, "units": ["Traffic", "Special Operations"],
                                   "explanation": "Z1 · 3 homicides — 10 shootings", "status": "kept"]
        let scalars: [String: Any] = ["zero": 0, "negative": -17, "big": 9_007_199_254_740_993, "tiny": 1e-7, "huge": 1.5e20, "half": -0.5,
                                      "third": 1.0 / 3.0, "false": false, "empty": [Any](), "nested": [[String: Any]()], "Upper": 1, "lower": 2,
                                      "zone10": 10, "zone2": 2, "zone02": 2, "a": 1, "A": 1, "ab": 1, "aB": 1, "a_b": 1, "a1b": 1]
        // When / then
        for object in [patrol, zone, scalars, ["patrols": [patrol, patrol], "cycle": "C-1"]] as [Any] {
            let (mine, theirs) = (try JSONText.string(object), try foundation(object))
            #expect(mine == theirs, "\n\(mine)\n\(theirs)")
        }
    }

    @Test func givenKeysWithDigitsAndCaseWhenSortedThenTheyFollowFoundationsOrder() throws {
        let keys = ["zone10", "zone2", "Zone3", "zone02", "b", "B", "a10b", "a9b", "x", "X1", "x1", "", "_", "9", "10"]
        let object = Dictionary(uniqueKeysWithValues: keys.map { ($0, 1) })
        let (mine, theirs) = (try JSONText.string(object), try foundation(object))
        #expect(mine == theirs, "\n\(mine)\n\(theirs)")
    }

    @Test func givenValuesWithoutAJSONFormWhenWrittenThenItFailsInsteadOfWritingSomething() {
        #expect(throws: JSONText.Unsupported.self) { try JSONText.bytes(["when": Date()]) }
        #expect(throws: JSONText.Unsupported.self) { try JSONText.bytes(["x": Double.infinity]) }
        #expect(throws: JSONText.Unsupported.self) { try JSONText.bytes([Double.nan]) }
    }

    @Test func givenOptionalsInsideAnyWhenWrittenThenTheyAreTheirValueOrNull() throws {
        let some: String? = "x", none: Int? = nil
        #expect(try JSONText.string(["a": some as Any, "b": none as Any]) == #"{"a":"x","b":null}"#)
    }
}
