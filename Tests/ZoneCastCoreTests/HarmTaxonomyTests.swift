import Foundation
import Testing
@testable import ZoneCastCore

private func decode(_ json: String) throws(CoreError) -> HarmWeights {
    try HarmWeights.decode(Data(json.utf8))
}

@Suite("Harm taxonomy and weights")
struct HarmTaxonomyTests {
    // MARK: HarmCategory.parse

    @Test("given spellings of a category with spaces, hyphens, case or padding when parsed then the category is found",
          arguments: [
              ("non-fatal shooting", HarmCategory.nonFatalShooting),
              ("NON_FATAL_SHOOTING", .nonFatalShooting),
              ("Non-fatal Shooting", .nonFatalShooting),
              ("non_fatal_shooting", .nonFatalShooting),
              ("  homicide ", .homicide),
              ("Drive-by shooting", .driveByShooting),
              ("shots fired", .shotsFired),
              ("FATAL TRAFFIC CRASH", .fatalTrafficCrash),
              ("drug-overdose", .drugOverdose),
              ("Aggravated Assault", .aggravatedAssault),
              ("ROBBERY", .robbery),
              ("other", .other),
          ])
    func parse(text: String, expected: HarmCategory) async throws {
        #expect(try HarmCategory.parse(text) == expected)
    }

    @Test("given every category when its raw value or display name is parsed then it comes back", arguments: HarmCategory.allCases)
    func parseRoundTrip(_ c: HarmCategory) async throws {
        #expect(try HarmCategory.parse(c.rawValue) == c)
        #expect(try HarmCategory.parse(c.displayName) == c)
    }

    @Test("given text that is no category when parsed then CoreError.unknownCategory carries the text as written",
          arguments: ["arson", "", "homicides", "non fatal", "Burglary", "shooting"])
    func parseRejects(_ text: String) async {
        #expect(throws: CoreError.unknownCategory(text)) { try HarmCategory.parse(text) }
    }

    @Test("given the categories when ordered then declaration order is used, homicide first and other last")
    func ordering() async {
        #expect(HarmCategory.allCases.first == .homicide)
        #expect(HarmCategory.allCases.last == .other)
        #expect(HarmCategory.allCases.map(\.ordinal) == Array(0..<HarmCategory.allCases.count))
        #expect(HarmCategory.homicide < .nonFatalShooting)
        #expect(!(HarmCategory.other < .robbery))
        #expect([HarmCategory.other, .robbery, .homicide].sorted() == [.homicide, .robbery, .other])
    }

    @Test("given the violent set when inspected then it is homicide, non-fatal shooting, drive-by and aggravated assault")
    func violent() async {
        #expect(HarmCategory.violent == [.homicide, .nonFatalShooting, .driveByShooting, .aggravatedAssault])
        #expect(!HarmCategory.violent.contains(.robbery))
        #expect(!HarmCategory.violent.contains(.shotsFired))
    }

    // MARK: HarmWeights

    @Test("given the Cambridge defaults when read then each category has the documented days (homicide 5475)")
    func cambridgeDefaults() async {
        let w = HarmWeights.cambridgeDefaults
        #expect(w[.homicide] == 5_475)        // 15 years × 365
        #expect(w[.nonFatalShooting] == 2_190) // 6 years
        #expect(w[.driveByShooting] == 1_460)  // 4 years
        #expect(w[.fatalTrafficCrash] == 1_825) // 5 years
        #expect(w[.robbery] == 1_460)
        #expect(w[.aggravatedAssault] == 547)  // 18 months
        #expect(w[.shotsFired] == 365)
        #expect(w[.drugOverdose] == 365)
        #expect(w[.other] == 1)
        #expect(w.daysByCategory.count == HarmCategory.allCases.count)
        for c in HarmCategory.allCases { #expect(w[c] > 0, "\(c) has no positive default") }
        #expect(HarmCategory.allCases.allSatisfy { w[$0] <= w[.homicide] })
    }

    @Test("given an override of one category when built then it changes and the others keep their defaults")
    func initOverride() async throws {
        let w = try HarmWeights(days: [.robbery: 900])
        #expect(w[.robbery] == 900)
        for c in HarmCategory.allCases where c != .robbery { #expect(w[c] == HarmWeights.cambridgeDefaults[c]) }
        #expect(try HarmWeights(days: [:]) == .cambridgeDefaults)
        #expect(try HarmWeights(days: [.other: 0])[.other] == 0) // zero is allowed
    }

    @Test("given a negative, NaN or infinite weight when built then CoreError.invalidHarmWeight is thrown",
          arguments: [-1.0, -0.001, Double.nan, .infinity, -.infinity])
    func initRejects(_ value: Double) async {
        do {
            _ = try HarmWeights(days: [.homicide: 10, .robbery: value])
            Issue.record("weight \(value) was accepted")
        } catch {
            // Pattern-match: CoreError's synthesised == would never equal a NaN payload.
            guard case .invalidHarmWeight(let category, let v) = error else { Issue.record("wrong error \(error)"); return }
            #expect(category == "robbery")
            #expect(v.isNaN ? value.isNaN : v == value)
        }
    }

    @Test("given a weights file overriding one category when decoded then that category changes and the others keep defaults")
    func decodeOverride() async throws {
        let w = try decode(#"{"homicide": 7300}"#)
        #expect(w[.homicide] == 7_300)
        for c in HarmCategory.allCases where c != .homicide { #expect(w[c] == HarmWeights.cambridgeDefaults[c]) }
        // Keys go through HarmCategory.parse, so readable spellings work.
        let v = try decode(#"{"Non-fatal shooting": 1000.5, "ROBBERY": 0}"#)
        #expect(v[.nonFatalShooting] == 1_000.5)
        #expect(v[.robbery] == 0)
        #expect(v[.homicide] == 5_475)
        #expect(try decode("{}") == .cambridgeDefaults)
    }

    @Test("given a negative weight in a file when decoded then CoreError.invalidHarmWeight names the category and value")
    func decodeNegative() async {
        #expect(throws: CoreError.invalidHarmWeight(category: "homicide", value: -5)) { try decode(#"{"homicide": -5}"#) }
    }

    @Test("given a NaN weight in a file (as a string, or as a bare NaN token JSON does not allow) when decoded then it is rejected")
    func decodeNaN() async {
        do {
            _ = try decode(#"{"robbery": "NaN"}"#)
            Issue.record("\"NaN\" was accepted")
        } catch {
            guard case .invalidHarmWeights(let message) = error else { Issue.record("wrong error \(error)"); return }
            #expect(message.contains("robbery") && message.contains("NaN"))
        }
        #expect(throws: CoreError.self) { try decode(#"{"robbery": NaN}"#) }
    }

    @Test("given a non-number weight when decoded then CoreError.invalidHarmWeight is thrown")
    func decodeNonNumber() async {
        #expect(throws: CoreError.self) { try decode(#"{"robbery": "900"}"#) }
        #expect(throws: CoreError.self) { try decode(#"{"robbery": null}"#) }
        #expect(throws: CoreError.self) { try decode(#"{"robbery": [900]}"#) }
    }

    @Test("given a JSON boolean as a weight when decoded then it is rejected, not read as 1 day")
    func decodeBoolean() async {
        #expect(throws: CoreError.self) { try decode(#"{"homicide": true}"#) }
    }

    @Test("given an unknown category in a weights file when decoded then CoreError.unknownCategory is thrown")
    func decodeUnknownCategory() async {
        #expect(throws: CoreError.unknownCategory("arson")) { try decode(#"{"arson": 100}"#) }
    }

    @Test("given weights text that is not a JSON object when decoded then a CoreError is thrown",
          arguments: ["[1, 2]", "not json", "", "5475"])
    func decodeNotObject(_ text: String) async {
        #expect(throws: CoreError.self) { try decode(text) }
    }

    @Test("given weights when encoded and decoded with Codable then they survive")
    func codable() async throws {
        let w = try HarmWeights(days: [.robbery: 900])
        let back = try JSONDecoder().decode(HarmWeights.self, from: JSONEncoder().encode(w))
        #expect(back == w)
    }

    @Test("given the unknown-category error when described then it lists the known categories")
    func errorDescription() async {
        let text = CoreError.unknownCategory("arson").description
        #expect(text.contains("\"arson\""))
        for c in HarmCategory.allCases { #expect(text.contains(c.rawValue)) }
    }
}
