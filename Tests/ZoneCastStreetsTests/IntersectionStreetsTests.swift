import Foundation
import Testing
import ZoneCastCore
import ZoneCastStreets

@Suite("Streets from named intersections")
struct IntersectionStreetsTests {
    /// A hand-made city: N Oak St and N Elm St run north, W 1st Ave and W 2nd Ave east, listed out of order; Oak St
    /// has a second stretch 3 km north; one corner is listed twice (with E and W spellings of the cross street); the
    /// Dan Ryan is an expressway; E 1st Ave and W 3rd Ave have one corner each. Lines 13-17 are bad.
    static let csv = """
        intersection,street_1,street_2,zipcode,longitude,latitude
        N OAK ST & W 2ND AVE,N OAK ST,W 2ND AVE,60601,-87.600,41.801
        N OAK ST & W 1ST AVE,N OAK ST,W 1ST AVE,60601,-87.600,41.800
        "N OAK ST & W 3RD AVE, the north corner",N OAK ST,W 3RD AVE,60601,-87.600,41.802
        N ELM ST & W 1ST AVE,N ELM ST,W 1ST AVE,60601,-87.602,41.800
        N OAK ST & W 10TH AVE,N OAK ST,W 10TH AVE,60601,-87.600,41.831
        N ELM ST & W 2ND AVE,N ELM ST,w  2nd ave,60601,-87.602,41.801
        E 1ST AVE & N OAK ST,E 1ST AVE,N OAK ST,60601,-87.600,41.800
        N OAK ST & W 9TH AVE,N OAK ST,W 9TH AVE,60601,-87.600,41.830
        S DAN RYAN EXPY & W 51ST ST,S DAN RYAN EXPY,W 51ST ST,60609,-87.630,41.799

        S DAN RYAN EXPY & W 50TH ST,S DAN RYAN EXPY,W 50TH ST,60609,-87.630,41.800
        N PINE ST & W 1ST AVE,N PINE ST,W 1ST AVE,60601,-87.604,north
        N PINE ST & ,N PINE ST,,60601,-87.604,41.800
        N PINE ST & W 2ND AVE,N PINE ST,W 2ND AVE,60601,-87.604
        N PINE ST & W 3RD AVE,N PINE ST,W 3RD AVE,60601,-87.604,95
        N PINE ST & W 4TH AVE,N PINE ST,W 4TH AVE,60601,0,0

        """

    static func point(_ latitude: Double, _ longitude: Double) -> GeoPoint { GeoPoint(latitude: latitude, longitude: longitude) }

    static func same(_ a: [GeoPoint], _ b: [GeoPoint]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0.latitude - $1.latitude) < 1e-9 && abs($0.longitude - $1.longitude) < 1e-9 }
    }

    @Test("given a small intersections CSV when read then each street's corners are joined in order along it, split at a 3 km gap, merged when repeated")
    func polylines() throws {
        // Given / When
        let read = try StreetReaders.intersections(Data(Self.csv.utf8), source: "small.csv")
        // Then: streets by name, each stretch running east (or north for a due north-south street).
        let expected: [(String, StreetClass, [GeoPoint])] = [
            ("N Elm St", .other, [Self.point(41.800, -87.602), Self.point(41.801, -87.602)]),
            ("N Oak St", .other, [Self.point(41.800, -87.600), Self.point(41.801, -87.600), Self.point(41.802, -87.600)]),
            ("N Oak St", .other, [Self.point(41.830, -87.600), Self.point(41.831, -87.600)]),
            ("S Dan Ryan Expy", .motorway, [Self.point(41.799, -87.630), Self.point(41.800, -87.630)]),
            ("W 1st Ave", .other, [Self.point(41.800, -87.602), Self.point(41.800, -87.600)]),
            ("W 2nd Ave", .other, [Self.point(41.801, -87.602), Self.point(41.801, -87.600)]),
        ]
        #expect(read.streets.map(\.name) == expected.map(\.0))
        #expect(read.streets.map(\.streetClass) == expected.map(\.1))
        for (street, want) in zip(read.streets, expected) {
            #expect(Self.same(street.points, want.2), "\(street.name): \(street.points)")
        }
        #expect(read.landmarks.isEmpty)
        #expect(read.featureCount == 15)
        // The same file with CRLF line ends reads the same.
        let crlf = try StreetReaders.intersections(Data(Self.csv.replacingOccurrences(of: "\n", with: "\r\n").utf8))
        #expect(crlf.streets == read.streets && crlf.problems.map(\.value) == read.problems.map(\.value))
    }

    @Test("given bad rows when read then each is reported with its row, line, field and value and the rest is kept")
    func badRows() throws {
        // Given / When
        let read = try StreetReaders.intersections(Data(Self.csv.utf8), source: "small.csv")
        // Then: data rows 10-14 (file lines 13-17; the blank line 11 is no row).
        #expect(read.problems.map(\.featureIndex) == [10, 11, 12, 13, 14])
        #expect(read.problems.map(\.field) == ["latitude", "street_2", "row", "latitude", "latitude"])
        #expect(read.problems.map(\.value) == ["north", "", "N PINE ST & W 2ND AVE,N PINE ST,W 2ND AVE,60601,-87.604", "95", "0"])
        #expect(read.problems.map { $0.reason.prefix(8) } == ["line 13:", "line 14:", "line 15:", "line 16:", "line 17:"])
        #expect(read.problems[2].reason.contains("5 fields where the header has 6"))
        #expect(!read.streets.contains { $0.name == "N Pine St" })
    }

    @Test("given a CSV without the needed columns or with an open quote when read then the header is refused and the row reported")
    func header() throws {
        // Given / When / Then
        #expect(throws: StreetsError.unreadableCSV(source: "x.csv", line: 1,
                                                   reason: "the header lacks street_2, latitude (found: street_1, lon, lat, longitude)")) {
            try StreetReaders.intersections(Data("street_1,lon,lat,LONGITUDE\nA,1,2,3\n".utf8), source: "x.csv")
        }
        let open = try StreetReaders.intersections(Data("street_1,street_2,latitude,longitude\n\"A,B,41.8,-87.6\n".utf8))
        #expect(open.problems.map(\.field) == ["row"] && open.problems[0].reason.contains("not closed"))
    }

    @Test("given a street whose corners run diagonally and are listed shuffled when read then they come out in order along it")
    func diagonal() throws {
        // Given: a north-west diagonal (like N Milwaukee Ave), corners 200 m apart, listed in a scrambled order.
        func corner(_ k: Int) -> GeoPoint { Self.point(41.90 + 0.0013 * Double(k), -87.66 - 0.0017 * Double(k)) }
        let rows = [3, 0, 4, 1, 2].map { (k: Int) -> String in "N MILWAUKEE AVE,X \(k) ST,\(corner(k).latitude),\(corner(k).longitude)" }
        let data = Data((["street_1,street_2,latitude,longitude"] + rows).joined(separator: "\n").utf8)
        // When
        let read = try StreetReaders.intersections(data)
        // Then: one line, from the west end (k = 4) to the east end (k = 0).
        let milwaukee = read.streets.filter { $0.name == "N Milwaukee Ave" }
        #expect(milwaukee.count == 1)
        let want = [4, 3, 2, 1, 0].map(corner)
        #expect(Self.same(milwaukee.first?.points ?? [], want))
    }
}
