import Foundation
import Testing
import ZoneCastCore
@testable import ZoneCastSynthetic

struct SyntheticCSVTests {
    @Test func givenTheSameSeed_whenWritingTwice_thenTheCSVIsByteIdentical() async {
        let a = Fixtures.csvData(rowCount: 5_000, seed: 42)
        let b = Fixtures.csvData(rowCount: 5_000, seed: 42)
        #expect(a == b)
        #expect(a.count > 100_000)
    }

    @Test func givenDifferentSeeds_whenWriting_thenTheCSVsDiffer() async {
        #expect(Fixtures.csvData(rowCount: 5_000, seed: 42) != Fixtures.csvData(rowCount: 5_000, seed: 43))
    }

    @Test func givenChunkedWriting_whenComparedWithRenderingAllRows_thenTheTextIsTheSame() async {
        let written = String(decoding: Fixtures.csvData(rowCount: 20_000, seed: 7), as: UTF8.self)
        #expect(written == Fixtures.standard.csv)
    }

    @Test func givenAGeneratedFile_whenReadingTheHeader_thenItIsExactlyTheAgreedHeader() async {
        let firstLine = Fixtures.standard.csv.prefix { $0 != "\n" }
        #expect(firstLine == "incident_id,occurred_date,occurred_time,offence,latitude,longitude,address,firearm,synthetic")
    }

    @Test(arguments: [0, 1, 7, 999, 20_000])
    func givenARowCount_whenGenerating_thenExactlyThatManyRowsAreWritten(rowCount: Int) async {
        let data = Fixtures.csvData(rowCount: rowCount, seed: 1)
        #expect(Fixtures.dataLines(String(decoding: data, as: UTF8.self)).count == rowCount)
    }

    @Test func givenAGeneratedFile_whenParsingEveryRow_thenFieldsAreWellFormed() async throws {
        let city = SyntheticCity()
        let hq = SyntheticCity.headquarters.location
        let offences = Set(["HOMICIDE", "SHOOTING - NON FATAL", "DRIVE-BY SHOOTING", "SHOTS FIRED", "FATAL CRASH", "OVERDOSE",
                            "AGGRAVATED ASSAULT", "ROBBERY", "DRUG POSSESSION", "DUI", "LARCENY", "BURGLARY"])
        let lines = Fixtures.dataLines(Fixtures.standard.csv)
        #expect(lines.count == 20_000)
        var ids = Set<Substring>()
        var minimumHQDistance = Double.infinity
        var previousID: Substring = ""
        for line in lines {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            try #require(f.count == 9, "\(line)")
            #expect(f[0].hasPrefix("SYN-") && f[0].count == 11)
            #expect(offences.contains(String(f[3])), "\(f[3])")
            #expect(f[7] == "Y" || f[7] == "N")
            #expect(f[8] == "SYNTHETIC")
            #expect(f[6].contains(" BLOCK "))
            #expect(f[2].isEmpty || (f[2].count == 5 && f[2].dropFirst(2).first == ":"))
            #expect(f[1] == "not a date" || (f[1].count == 10 && f[1].hasPrefix("202")))
            if f[0] != previousID { #expect(ids.insert(f[0]).inserted, "id \(f[0]) reused by a non-adjacent row") }
            previousID = f[0]
            if f[4].isEmpty {
                #expect(f[5].isEmpty)
                continue
            }
            #expect(f[4].split(separator: ".").last?.count == 6 && f[5].split(separator: ".").last?.count == 6)
            let p = GeoPoint(latitude: try #require(Double(f[4])), longitude: try #require(Double(f[5])))
            #expect(city.jurisdiction.contains(p), "\(line)")
            minimumHQDistance = min(minimumHQDistance, p.distanceMeters(to: hq))
            #expect(city.jurisdiction.defaultLocation(at: p, address: String(f[6])) == nil, "\(line)")
        }
        #expect(minimumHQDistance > 25)
    }

    @Test func givenTheMetadata_whenCountingDirtyRowsInTheFile_thenCountsMatch() async {
        let (rows, csv, metadata) = Fixtures.standard
        let lines = Fixtures.dataLines(csv)
        var duplicates = 0, blanks = 0, badDates = 0
        for (i, line) in lines.enumerated() {
            if i > 0, line == lines[i - 1] { duplicates += 1 }
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            if f[4].isEmpty && f[5].isEmpty { blanks += 1 }
            if f[1] == "not a date" { badDates += 1 }
        }
        #expect(metadata.dirtyRows.duplicateRows == 20)
        #expect(metadata.dirtyRows.blankCoordinateRows == 10)
        #expect(metadata.dirtyRows.unparseableDateRows == 4)
        #expect(duplicates == metadata.dirtyRows.duplicateRows)
        #expect(blanks == metadata.dirtyRows.blankCoordinateRows)
        #expect(badDates == metadata.dirtyRows.unparseableDateRows)
        #expect(rows.filter { $0.defect == .duplicate }.count == duplicates)
        #expect(metadata.rowCountsByOffence.values.reduce(0, +) == metadata.rowCount)
        #expect(metadata.eventCountsByOffence.values.reduce(0, +) == metadata.eventCount)
        #expect(metadata.eventCount + metadata.dirtyRows.duplicateRows == metadata.rowCount)
    }

    @Test func givenTheRows_whenCountingDateOnlyRows_thenAboutThreePercentHaveABlankTime() async {
        let (rows, _, metadata) = Fixtures.standard
        let dateOnly = rows.filter { $0.timePrecision == .day && $0.defect != .duplicate }.count
        #expect(dateOnly == metadata.dateOnlyEvents)
        let dateOnlyShare: Double = Double(dateOnly) / Double(rows.count)
        #expect(abs(dateOnlyShare - 0.03) < 0.005)
    }

    @Test func givenTheMetadata_whenEncoding_thenItIsLabelledPrettyJSONThatRoundTrips() async throws {
        let metadata = Fixtures.standard.metadata
        let data = try metadata.prettyJSON()
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"label\" : \"SYNTHETIC DATA - fictional city, not real incidents\""))
        #expect(text.contains("\n  "))
        #expect(try JSONDecoder().decode(SyntheticMetadata.self, from: data) == metadata)
        #expect(metadata.seed == 7 && metadata.rowCount == 20_000 && metadata.generatorVersion == SyntheticIncidentGenerator.version)
    }

    @Test func givenFieldsWithSpecialCharacters_whenQuoting_thenRFC4180RulesApply() async {
        func field(_ s: String) -> String {
            var b: [UInt8] = []
            SyntheticCSV.appendField(s, to: &b)
            return String(decoding: b, as: UTF8.self)
        }
        #expect(field("PLAIN") == "PLAIN")
        #expect(field("A,B") == "\"A,B\"")
        #expect(field("SAY \"HI\"") == "\"SAY \"\"HI\"\"\"")
        #expect(field("LINE\nBREAK") == "\"LINE\nBREAK\"")
        #expect(field("") == "")
    }

    @Test func givenNumbers_whenFormatting_thenSixDecimalsAndPaddingAreExact() async {
        func micro(_ d: Double) -> String {
            var b: [UInt8] = []
            SyntheticCSV.appendMicrodegrees(d, to: &b)
            return String(decoding: b, as: UTF8.self)
        }
        #expect(micro(38.5) == "38.500000")
        #expect(micro(-97.000001) == "-97.000001")
        #expect(micro(-0.25) == "-0.250000")
        var b: [UInt8] = []
        SyntheticCSV.appendDigits(7, width: 2, to: &b)
        SyntheticCSV.appendDigits(2024, width: 4, to: &b)
        #expect(String(decoding: b, as: UTF8.self) == "072024")
    }
}
