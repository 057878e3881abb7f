import Foundation
import Testing
import ZoneCastCore
import ZoneCastStore
@testable import ZoneCastIngest

/// The `kcpd` preset against hand-made rows in each yearly variant of the "KCPD Crime Data YYYY" exports.
@Suite("KCPD preset")
struct KCPDPresetTests {
    let mapping: Mapping
    let kc: Jurisdiction

    init() throws {
        mapping = try Presets.mapping(named: "kcpd")
        kc = try Presets.jurisdiction("kansas-city")
    }

    static let header2016 = "Report_No,Reported_Date,Reported_Time,From_Date,From_Time,To_Date,To_Time,Offense,IBRS,Description,Beat,Address,City,Zip Code,Rep_Dist,Area,DVFlag,Invl_No,Involvement,Race,Sex,Age,Firearm Used Flag,Location"

    @Test("given a 2015-2018 export (Y/N flags, Location with address lines then (lat, lon)), then persons merge into one incident per Report_No")
    func yesNoExport() async throws {
        let csv = """
        \(Self.header2016)
        160001,01/05/2016,21:40,01/05/2016,21:30,,,1301,13A,Aggravated Assault,122,1200 E 35TH ST,KANSAS CITY,64109,PJ1234,CPD,N,1,VIC,B,M,24,N,"1200 E 35TH ST
        KANSAS CITY 64109
        (39.0717, -94.5659)"
        160001,01/05/2016,21:40,01/05/2016,21:30,,,1301,13A,Aggravated Assault,122,1200 E 35TH ST,KANSAS CITY,64109,PJ1234,CPD,N,2,SUS,B,M,27,Y,"1200 E 35TH ST
        KANSAS CITY 64109
        (39.0717, -94.5659)"
        160002,02/10/2016,03:15,02/10/2016,03:05,,,0901,09A,HOMICIDE/Non Negl,133,3300 PROSPECT AVE,KANSAS CITY,64128,PJ2000,EPD,N,1,VIC,B,M,19,Y,"3300 PROSPECT AVE
        KANSAS CITY 64128
        (39.0630, -94.5550)"
        """
        let store = InMemoryIncidentStore()
        let batch = try await importText(csv, mapping: mapping, jurisdiction: kc, into: store)
        #expect(batch.counts.rowsRead == 3)
        #expect(batch.counts.incidentsImported == 2)
        #expect(batch.counts.rowsMerged == 1)
        let assault = try await #require(try store.incident(IncidentID(source: "kcpd", recordID: "160001")))
        #expect(assault.category == .nonFatalShooting) // the suspect row carries the firearm flag
        #expect(assault.firearm)
        #expect(assault.rowCount == 2)
        #expect(abs(assault.location.latitude - 39.0717) < 1e-9 && abs(assault.location.longitude + 94.5659) < 1e-9)
        #expect(assault.occurredPrecision == .exact)
        #expect(assault.address == "1200 E 35TH ST")
        // 21:30 CST = 03:30Z next day.
        #expect(assault.occurredAt == ISO8601DateFormatter().date(from: "2016-01-06T03:30:00Z"))
        #expect(assault.reportedAt == ISO8601DateFormatter().date(from: "2016-01-06T03:40:00Z"))
        let homicide = try await #require(try store.incident(IncidentID(source: "kcpd", recordID: "160002")))
        #expect(homicide.category == .homicide && homicide.fatal)
    }

    @Test("given a 2019+ export (true/false flags, spaced header spellings, POINT (lon lat)), then it imports the same way")
    func trueFalseExport() async throws {
        let csv = """
        Report_No,Reported_Date,Reported Time,From_Date,From Time,To_Date,To_Time,Offense,IBRS,Description,Beat,Address,City,Zip Code,Rep_Dist,Area,DVFlag,Invl_No,Involvement,Race,Sex,Age,Firearm Used Flag  ,Location
        KC19000001,03/02/2019,1:05,03/02/2019,0:50,,,Agg Assault - Drive By,13A,Agg Assault - Drive,135,4500 TROOST AVE,KANSAS CITY,64110,PJ3000,MPD,false,1,VIC,W,F,30,true,POINT (-94.5720 39.0440)
        KC19000002,03/03/2019,14:00,,,,,Armed Robbery,120,Armed Robbery,111,100 W 12TH ST,KANSAS CITY,64105,PJ3001,CPD,false,1,VIC,W,M,40,false,POINT (-94.5850 39.0990)
        """
        let store = InMemoryIncidentStore()
        let batch = try await importText(csv, mapping: mapping, jurisdiction: kc, into: store)
        #expect(batch.counts.incidentsImported == 2)
        #expect(batch.counts.warnings["occurred_from_fallback"] == 1)
        let driveBy = try await #require(try store.incident(IncidentID(source: "kcpd", recordID: "KC19000001")))
        #expect(driveBy.category == .driveByShooting && driveBy.firearm)
        #expect(abs(driveBy.location.latitude - 39.044) < 1e-9 && abs(driveBy.location.longitude + 94.572) < 1e-9)
        let robbery = try await #require(try store.incident(IncidentID(source: "kcpd", recordID: "KC19000002")))
        #expect(robbery.category == .robbery && !robbery.firearm)
        // From_Date blank: the report date and time stand in.
        #expect(robbery.occurredAt == ISO8601DateFormatter().date(from: "2019-03-03T20:00:00Z"))
    }

    @Test("given an export with Latitude/Longitude columns and no Location, then coordinates come from them")
    func separateColumns() async throws {
        let csv = """
        Report_No,Reported_Date,Reported_Time,From_Date,From_Time,To_Date,To_Time,Offense,IBRS,Description,Beat,Address,City,Zip Code,Rep_Dist,Area,DVFlag,Invl_No,Involvement,Race,Sex,Age,Firearm Used Flag,Latitude,Longitude
        KC20000001,2020-06-01,22:10,2020-06-01,22:00,,,Possession/Sale/Dist,35A,Possession/Sale/Dist,141,5000 PROSPECT AVE,KANSAS CITY,64130,PJ4000,EPD,false,1,ARR,B,M,22,false,39.0330,-94.5500
        """
        let store = InMemoryIncidentStore()
        try await importText(csv, mapping: mapping, jurisdiction: kc, into: store)
        let drug = try await #require(try store.incident(IncidentID(source: "kcpd", recordID: "KC20000001")))
        #expect(drug.category == .other && drug.policeInitiated)
        #expect(abs(drug.location.latitude - 39.033) < 1e-9)
    }

    @Test("given dirty rows, then each is quarantined with its reason, field and value")
    func dirtyRows() async throws {
        let h = Self.header2016
        let good = "170001,01/05/2017,10:00,01/05/2017,09:00,,,1301,13A,Aggravated Assault,1,100 MAIN ST,KANSAS CITY,64105,P,C,N,1,VIC,B,M,20,N,\"(39.05, -94.55)\""
        let csv = [
            h,
            good,
            good, // exact duplicate
            "170001,01/05/2017,10:00,01/05/2017,09:00,,,1301,13A,Aggravated Assault,1,100 MAIN ST,KANSAS CITY,64105,P,C,N,1,VIC,B,F,21,N,\"(39.05, -94.55)\"", // same Report_No and Invl_No, other content
            "170002,01/06/2017,10:00,13/45/2017,09:00,,,1301,13A,Aggravated Assault,1,1 A ST,KANSAS CITY,64105,P,C,N,1,VIC,B,M,20,N,\"(39.05, -94.55)\"",
            "170003,01/06/2030,10:00,01/06/2030,09:00,,,1301,13A,Aggravated Assault,1,1 A ST,KANSAS CITY,64105,P,C,N,1,VIC,B,M,20,N,\"(39.05, -94.55)\"",
            "170004,01/06/2017,10:00,01/06/2017,09:00,,,1301,13A,Aggravated Assault,1,1 A ST,KANSAS CITY,64105,P,C,N,1,VIC,B,M,20,N,",
            "170005,01/06/2017,10:00,01/06/2017,09:00,,,1301,13A,Aggravated Assault,1,1 A ST,KANSAS CITY,64105,P,C,N,1,VIC,B,M,20,N,\"(27.95, -82.45)\"",
            "170006,01/06/2017,10:00,01/06/2017,09:00,,,1301,13A,Aggravated Assault,1,1100 LOCUST ST,KANSAS CITY,64106,P,C,N,1,VIC,B,M,20,N,\"(39.1009, -94.5774)\"",
            "170007,01/06/2017,10:00,01/06/2017,09:00,,,9999,ZZZ,Mystery Offence,1,1 A ST,KANSAS CITY,64105,P,C,N,1,VIC,B,M,20,N,\"(39.05, -94.55)\"",
            ",01/06/2017,10:00,01/06/2017,09:00,,,1301,13A,Aggravated Assault,1,1 A ST,KANSAS CITY,64105,P,C,N,1,VIC,B,M,20,N,\"(39.05, -94.55)\"",
            "170009,01/06/2017,10:00",
            "170010,01/06/2017,10:00,01/06/2017,09:00,,,1301,13A,Aggravated Assault,1,1 A ST,KANSAS CITY,64105,P,C,N,1,VIC,B,M,20,N,\"(0, 0)\"",
        ].joined(separator: "\n")
        let store = InMemoryIncidentStore()
        let batch = try await importText(csv, mapping: mapping, jurisdiction: kc, into: store)
        #expect(batch.counts.rowsRead == 12)
        #expect(batch.counts.incidentsImported == 1)
        #expect(batch.counts.rejectedByReason == [
            .exactDuplicate: 1, .duplicateRecord: 1, .unparseableDate: 1, .futureDate: 1, .missingCoordinates: 1,
            .outOfJurisdiction: 1, .defaultLocation: 1, .unmappedOffence: 1, .missingID: 1, .malformedRow: 1, .impossibleCoordinates: 1,
        ])
        let q = try await store.quarantinedRows(batchID: nil, reason: nil, limit: 100, offset: 0)
        let byReason = Dictionary(q.map { ($0.reason, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byReason[.unparseableDate]?.field == "From_Date")
        #expect(byReason[.unparseableDate]?.value == "13/45/2017")
        #expect(byReason[.unparseableDate]?.lineNumber == 5)
        #expect(byReason[.unmappedOffence]?.value == "Mystery Offence")
        #expect(byReason[.outOfJurisdiction]?.message.contains("Kansas City") == true)
        #expect(byReason[.defaultLocation]?.message.contains("1100 Locust") == true)
        #expect(byReason[.missingID]?.field == "Report_No")
        #expect(byReason[.malformedRow]?.rawRow == "170009,01/06/2017,10:00")
        #expect(byReason[.exactDuplicate]?.lineNumber == 3)
        #expect(q.allSatisfy { !$0.rawRow.isEmpty })
    }
}
