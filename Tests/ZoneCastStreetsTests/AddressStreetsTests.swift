import Testing
import ZoneCastCore
import ZoneCastStreets

@Suite("Streets derived from geocoded addresses")
struct AddressStreetsTests {
    static func point(_ latitude: Double, _ longitude: Double) -> GeoPoint { GeoPoint(latitude: latitude, longitude: longitude) }

    static func same(_ a: [GeoPoint], _ b: [GeoPoint]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0.latitude - $1.latitude) < 1e-9 && abs($0.longitude - $1.longitude) < 1e-9 }
    }

    @Test("given addresses as incident records write them when parsed then house and block numbers go, intersections give both streets, spellings normalise",
          arguments: [
              ("9331 Hillcrest Rd", ["Hillcrest Rd"]),
              ("4900 block of Brookside Blvd", ["Brookside Blvd"]),
              ("the 3100-3200 block of Main Street", ["Main St"]),
              ("31XX Main St", ["Main St"]),
              ("E 35th St and Prospect Ave", ["E 35th St", "Prospect Ave"]),
              ("East 35th Street", ["E 35th St"]),
              ("E. 35TH ST", ["E 35th St"]),
              ("E. 19th and Vine streets", ["E 19th St", "Vine St"]),
              ("QuikTrip on 44th and Main ", ["44th", "Main"]),
              ("Retro nightclub at 1518 McGee Street", ["Mcgee St"]),
              ("63rd Street at Zoo Drive", ["63rd St", "Zoo Dr"]),
              ("Askew Ave and E 45 Terrace", ["Askew Ave", "E 45th Ter"]),
              ("West Eighth and Mulberry", ["W 8th", "Mulberry"]),
              ("N.W. 48th Street & Vivion Road", ["NW 48th St", "Vivion Rd"]),
              ("Southwest Trfwy", ["Southwest Trfy"]),
              ("The Paseo and E 42nd St", ["Paseo", "E 42nd St"]),
              ("St. John Avenue", ["St John Ave"]),
              ("Kansas City, MO 64153", ["Kansas City"]),
              ("Interstate 435 and Holmes", ["I-435", "Holmes"]),
              ("I-35 RP", ["I-35"]),
              ("I-70 5986 RP", ["I-70"]),
              ("8121 US Highway 69", ["US 69"]),
              ("8920 E US Hwy 40", ["US 40"]),
              ("US-71 BRUCE R WATKINS DR", ["US 71", "Bruce R Watkins Dr"]),
              ("SR-V ROLAND RD", ["SR V", "Roland Rd"]),
              ("US 169 and MO 9", ["US 169", "SR 9"]),
              ("E Gregory Blvd and Hwy 71", ["E Gregory Blvd", "Hwy 71"]),
              ("CR-SWOPE PKWY", ["Swope Pkwy"]),
              ("PROSPECT AVE and EMANUEL CLEAVER II BLVD", ["Prospect Ave", "Emanuel Cleaver II Blvd"]),
              ("I ST", ["I St"]),
              ("1234", [String]()),
              ("", [String]()),
          ])
    func names(address: String, expected: [String]) {
        // Given / When
        let names = AddressStreetNames.streets(in: address).map(\.displayName)
        // Then
        #expect(names == expected, "\(address)")
    }

    /// A hand-made part of Kansas City (positions rounded like GVA's, to 1e-4 degrees):
    /// - E 35th St along latitude 39.0600 from -94.5600 to -94.5450, spelled four ways, one crash coding it secondary;
    /// - Prospect Ave along longitude -94.5550 from 39.0600 to 39.0680: one position 17 m off the line (simplified
    ///   away), one 400 m east (a geocoding error: a spike), one written without a type;
    /// - Troost Ave at 39.0600-39.0650 and again 3.9 km north at 39.1000-39.1050 (split there);
    /// - three unrelated addresses geocoded to one fallback position (one of them names Troost): all dropped;
    /// - 601 Brasilia Ave three times at one place and Indiana, E 31st St and E 55th St once each: fewer than two
    ///   distinct positions, no street;
    /// - I-70 coded motorway; US-71 coded trunk (other freeway) and a "Hwy 71" beside it; US 40 uncoded.
    static let observations: [StreetObservation] = [
        StreetObservation(address: "3100 block of E 35th St", point: point(39.0600, -94.5600)),
        StreetObservation(address: "East 35th Street and Prospect Ave", point: point(39.0600, -94.5550)),
        StreetObservation(address: "E. 35TH ST", point: point(39.0600, -94.5500), streetClass: .secondary),
        StreetObservation(address: "35th St and Indiana", point: point(39.0600, -94.5450)),
        StreetObservation(address: "3300 Prospect Ave", point: point(39.0620, -94.5552)),
        StreetObservation(address: "Prospect and E 31st St", point: point(39.0680, -94.5550)),
        StreetObservation(address: "3400 Prospect Avenue", point: point(39.0650, -94.5504)),
        StreetObservation(address: "Troost Ave", point: point(39.0600, -94.5700)),
        StreetObservation(address: "4000 Troost Avenue", point: point(39.0650, -94.5700)),
        StreetObservation(address: "3100 Troost Ave", point: point(39.1000, -94.5700)),
        StreetObservation(address: "Troost", point: point(39.1050, -94.5700)),
        StreetObservation(address: "QuikTrip on 44th and Main", point: point(39.0997, -94.5786)),
        StreetObservation(address: "Xpress Mart near 70th and Troost", point: point(39.0997, -94.5786)),
        StreetObservation(address: "Westport Rd", point: point(39.0997, -94.5786)),
        StreetObservation(address: "601 Brasilia Ave", point: point(39.3062, -94.7163)),
        StreetObservation(address: "601 Brasilia Ave", point: point(39.3062, -94.7163)),
        StreetObservation(address: "601 Brasilia Ave", point: point(39.3062, -94.7163)),
        StreetObservation(address: "I-70", point: point(39.0800, -94.5000), streetClass: .motorway),
        StreetObservation(address: "I-70 RP", point: point(39.0820, -94.4900), streetClass: .motorway),
        StreetObservation(address: "US-71", point: point(39.0300, -94.5540), streetClass: .trunk),
        StreetObservation(address: "Hwy 71 and E 55th St", point: point(39.0260, -94.5540)),
        StreetObservation(address: "US 40", point: point(39.0400, -94.4600)),
        StreetObservation(address: "8920 E US Hwy 40", point: point(39.0400, -94.4700)),
    ]

    @Test("given observations of a few streets when derived then spellings group, lines follow each street split at gaps, spikes and fallbacks go, classes set")
    func derive() {
        // Given / When
        let streets = StreetReaders.streets(fromAddresses: Self.observations)
        // Then: in group order (base name, then type); east-west streets run east, north-south ones north.
        let expected: [(String, StreetClass, [GeoPoint])] = [
            ("E 35th St", .secondary, [Self.point(39.0600, -94.5600), Self.point(39.0600, -94.5450)]),
            ("I-70", .motorway, [Self.point(39.0800, -94.5000), Self.point(39.0820, -94.4900)]),
            ("Prospect Ave", .other, [Self.point(39.0600, -94.5550), Self.point(39.0680, -94.5550)]),
            ("Troost Ave", .other, [Self.point(39.0600, -94.5700), Self.point(39.0650, -94.5700)]),
            ("Troost Ave", .other, [Self.point(39.1000, -94.5700), Self.point(39.1050, -94.5700)]),
            ("US 40", .primary, [Self.point(39.0400, -94.4700), Self.point(39.0400, -94.4600)]),
            ("US 71", .trunk, [Self.point(39.0260, -94.5540), Self.point(39.0300, -94.5540)]),
        ]
        #expect(streets.map(\.name) == expected.map(\.0))
        #expect(streets.map(\.streetClass) == expected.map(\.1))
        for (street, want) in zip(streets, expected) {
            #expect(Self.same(street.points, want.2), "\(street.name): \(street.points)")
        }
    }

    @Test("given the same observations with the fallback and spike filters off when derived then the fallback joins Troost and the spike stays on Prospect")
    func filtersMatter() {
        // Given: a fallback needs 100 streets and a spike 10 km.
        let options = AddressStreetOptions(spikeMeters: 10_000, sharedPositionStreets: 100)
        // When
        let streets = StreetReaders.streets(fromAddresses: Self.observations, options: options)
        // Then: Troost's northern piece takes in the fallback position; Prospect keeps the position 400 m east.
        let troost = streets.filter { $0.name == "Troost Ave" }.map(\.points)
        #expect(troost.count == 2)
        #expect(troost.filter { $0.contains(Self.point(39.0997, -94.5786)) }.count == 1)
        let prospect = streets.first { $0.name == "Prospect Ave" }?.points ?? []
        #expect(prospect.contains(Self.point(39.0650, -94.5504)))
        #expect(streets.contains { $0.name == "Main" } == false, "Main has one position only")
    }

    @Test("given a street written with a direction at fewer than a third of its positions when derived then it is named without one")
    func directionVote() {
        // Given: Troost written plain three times and "N Troost Ave" once; W 39th St twice plainly and once with W.
        let observations = [
            StreetObservation(address: "Troost Ave", point: Self.point(39.00, -94.57)),
            StreetObservation(address: "Troost Ave", point: Self.point(39.01, -94.57)),
            StreetObservation(address: "Troost Ave", point: Self.point(39.005, -94.57)),
            StreetObservation(address: "4000 block of N. Troost Avenue", point: Self.point(39.003, -94.57)),
            StreetObservation(address: "39th St", point: Self.point(39.05, -94.60)),
            StreetObservation(address: "39th Street", point: Self.point(39.05, -94.59)),
            StreetObservation(address: "West 39th St", point: Self.point(39.05, -94.595)),
        ]
        // When
        let names = StreetReaders.streets(fromAddresses: observations).map(\.name)
        // Then: 1 of 4 is under a third; 1 of 3 is a third.
        #expect(names == ["W 39th St", "Troost Ave"])
    }
}
