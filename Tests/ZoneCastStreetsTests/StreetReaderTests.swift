import Foundation
import Testing
import ZoneCastCore
import ZoneCastStreets

@Suite("Street readers")
struct StreetReaderTests {
    let mapping = StreetMapping(name: ["FULLNAME"], nameParts: ["PRE", "NAME", "TYPE"], class: ["CLASS"],
                                classes: [.init(when: ["Interstate*"], class: .motorway), .init(when: ["arterial"], class: .primary),
                                          .init(when: ["local"], class: .residential)])

    static func line(_ properties: String, _ coordinates: String = "[[-97.0, 38.5], [-97.0, 38.51]]") -> String {
        "{\"type\":\"Feature\",\"properties\":\(properties),\"geometry\":{\"type\":\"LineString\",\"coordinates\":\(coordinates)}}"
    }

    @Test("given a centreline file with good and bad features when read then the good are kept and each bad one is reported by index, field and value")
    func centrelineProblems() throws {
        // Given: 0 good; 1 name from parts; 2 unmapped class; 3 no geometry; 4 boolean coordinates; 5 a point.
        let features = [
            Self.line("{\"FULLNAME\":\"E 31st St\",\"CLASS\":\"Arterial\"}"),
            Self.line("{\"PRE\":\"E\",\"NAME\":\"35th\",\"TYPE\":\"St\",\"CLASS\":\"LOCAL\"}"),
            Self.line("{\"FULLNAME\":\"Prospect Ave\",\"CLASS\":\"Collector\"}"),
            "{\"type\":\"Feature\",\"properties\":{\"FULLNAME\":\"Nowhere Rd\"},\"geometry\":null}",
            Self.line("{\"FULLNAME\":\"Bool St\"}", "[[true, false], [-97.0, 38.5]]"),
            "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\",\"coordinates\":[-97.0, 38.5]}}",
        ]
        let data = Data("{\"type\":\"FeatureCollection\",\"features\":[\(features.joined(separator: ","))]}".utf8)
        // When
        let read = try StreetReaders.centrelines(data, mapping: mapping)
        // Then
        #expect(read.featureCount == 6)
        #expect(read.streets.map(\.name) == ["E 31st St", "E 35th St", "Prospect Ave"])
        #expect(read.streets.map(\.streetClass) == [.primary, .residential, .other])
        #expect(read.problems.map(\.featureIndex) == [2, 3, 4, 5])
        #expect(read.problems[0].field == "CLASS" && read.problems[0].value == "Collector")
        #expect(read.problems[1].field == "geometry" && read.problems[1].reason == "no geometry")
        #expect(read.problems[2].reason.contains("longitude, latitude"))
        #expect(read.problems[3].reason.contains("not a line"))
    }

    @Test("given an osmium GeoJSON sequence with a truncated record when read then streets, landmarks and the broken record are found")
    func osmSequence() throws {
        // Given: RS-led records as `osmium export -f geojsonseq` writes them; record 3 is cut off.
        let rs = "\u{1E}"
        let records = [
            Self.line("{\"highway\":\"primary\",\"name\":\"Mannerheimintie\"}"),
            Self.line("{\"highway\":\"footway\",\"name\":\"Path\"}"),
            "{\"type\":\"Feature\",\"properties\":{\"amenity\":\"school\",\"name\":\"Central High School\"},"
                + "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-97,38.5],[-96.99,38.5],[-96.99,38.51],[-97,38.51],[-97,38.5]]]}}",
            "{\"type\":\"Feature\",\"properties\":{\"highway\":\"resid",
            "{\"type\":\"Feature\",\"properties\":{\"railway\":\"tram_stop\",\"name\":\"Lasipalatsi\"},"
                + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[24.937,60.170]}}",
            Self.line("{\"highway\":\"motorway_link\"}"),
        ]
        let data = Data(records.map { rs + $0 + "\n" }.joined().utf8)
        // When
        let read = try StreetReaders.osm(data)
        // Then
        #expect(read.streets.map(\.streetClass) == [.primary, .motorway])
        #expect(read.streets.map(\.name) == ["Mannerheimintie", ""])
        #expect(read.landmarks.map(\.kind) == [.school, .transitStop])
        let school = read.landmarks[0].location
        #expect(abs(school.latitude - 38.505) < 1e-9 && abs(school.longitude + 96.995) < 1e-9)
        #expect(read.problems.map(\.featureIndex) == [3])
        #expect(read.problems.first?.field == "feature")
    }

    @Test("given text that is not GeoJSON when read then the error names the source and line")
    func unreadable() {
        #expect(throws: StreetsError.unreadableGeoJSON(source: "streets.csv", line: 1,
                                                       reason: "neither a GeoJSON document nor a sequence of one Feature per line")) {
            try StreetReaders.osm(Data("name,class\nMain,primary\n".utf8), source: "streets.csv")
        }
    }

    @Test("given mapping files when decoded then a bad class or an empty name list is refused naming the field")
    func mappingValidation() throws {
        let good = try StreetMapping.decode(Data("{\"name\":[\"N\"],\"class\":[\"C\"],\"classes\":[{\"when\":[\"1\"],\"class\":\"motorway\"}]}".utf8))
        #expect(good.streetClass(for: " 1 ") == .motorway && good.streetClass(for: "2") == nil)
        #expect(throws: StreetsError.self) {
            try StreetMapping.decode(Data("{\"name\":[\"N\"],\"class\":[\"C\"],\"classes\":[{\"when\":[\"1\"],\"class\":\"highway\"}]}".utf8))
        }
        do {
            _ = try StreetMapping.decode(Data("{\"name\":[],\"class\":[\"C\"],\"classes\":[]}".utf8))
            Issue.record("an empty name list was accepted")
        } catch {
            #expect(error == .invalidMapping(field: "name", value: "[]", reason: "give at least one name property (or nameParts)"))
        }
    }
}
