import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import ZoneCastAccess
import ZoneCastCore
import ZoneCastForecast
import ZoneCastOperations
import ZoneCastOversight
import ZoneCastSQLite
import ZoneCastServices
import ZoneCastStore
@testable import ZoneCastWeb

/// The equity audit's area upload as a file (multipart/form-data) and the choropleth of the areas by ratio.
@Suite("Equity areas: file upload and the choropleth by selection ratio", .serialized)
struct EquityUploadTests {
    static var store: SQLiteIncidentStore { get async { await storeTask.value } }
    private static let storeTask = Task { () async -> SQLiteIncidentStore in
        let store = try! await WebFixture.store()
        // C1 approved as proposed, so its zones have been in force since it starts and the audit has zone cell-days.
        var approved = try! await store.cycle(id: "C1")!
        approved.status = .approved
        try! await store.saveCycle(approved)
        return store
    }

    static let boundary = "zcTestBoundary7MA4YWxkTrZu0gW"

    struct FilePart {
        var filename: String
        var type: String?
        var bytes: [UInt8]
    }

    /// A multipart/form-data body with the given text fields and, optionally, one file in `geojson_file`.
    static func multipart(_ fields: [(String, String)], file: FilePart?) -> ByteBuffer {
        var body = [UInt8]()
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let file {
            let type = file.type.map { "Content-Type: \($0)\r\n" } ?? ""
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"geojson_file\"; filename=\"\(file.filename)\"\r\n\(type)\r\n".utf8)
            body += file.bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return ByteBuffer(bytes: body)
    }

    static func headers(_ token: String) -> HTTPFields {
        [.cookie: "zc_session=\(token)", .contentType: "multipart/form-data; boundary=\(boundary)"]
    }

    static func halves() async throws -> String {
        let store = await Self.store
        let box = try #require(try await store.jurisdiction()?.boundary.boundingBox)
        let midLon = (box.minLongitude + box.maxLongitude) / 2
        func ring(_ lon0: Double, _ lon1: Double) -> String {
            let (s, n) = (box.minLatitude - 0.01, box.maxLatitude + 0.01)
            return "[[[\(lon0),\(s)],[\(lon1),\(s)],[\(lon1),\(n)],[\(lon0),\(n)],[\(lon0),\(s)]]]"
        }
        func feature(_ name: String, _ coordinates: String) -> String {
            #"{"type":"Feature","properties":{"name":"\#(name)"},"geometry":{"type":"Polygon","coordinates":\#(coordinates)}}"#
        }
        let west = feature("West", ring(box.minLongitude - 0.01, midLon)), east = feature("East <b>side</b>", ring(midLon, box.maxLongitude + 0.01))
        return #"{"type":"FeatureCollection","features":[\#(west),\#(east)]}"#
    }

    @Test("given C1 approved, when an analyst uploads halves.geojson as a file with the CSRF token, then the set is stored with both areas and the upload is audited naming the file; the analyst's page draws the choropleth (each area in the class of its audited ratio, named in its tooltip, escaped; a legend of every class; the confidential banner) and the view's audit says so; an auditor's page has the table but no choropleth")
    func fileUploadAndChoropleth() async throws {
        let store = await Self.store
        let app = await Application(router: buildRouter(WebFixture.environment(store)))
        try await app.test(.router) { client in
            let analyst = try await OversightRouteTests.session(client, .analyst)
            let geoJSON = try await Self.halves()
            let file = FilePart(filename: "halves.geojson", type: "application/geo+json", bytes: Array(geoJSON.utf8))
            let upload = try await client.execute(uri: "/oversight/areas", method: .post, headers: Self.headers(analyst.token),
                                                  body: Self.multipart([("csrf", analyst.csrf), ("label", "Halves"), ("geojson", "")], file: file))
            #expect(upload.status == .seeOther)
            let set = try #require(try await store.documents(EquityAreaSet.self).first)
            #expect(set.label == "Halves" && set.areaNames == ["West", "East <b>side</b>"] && set.geoJSON == geoJSON)
            let entries = try await store.latestAuditEntries(limit: 10)
            #expect(entries.contains { $0.actor == "analyst" && $0.subject == "equity areas \(set.id)" && $0.detail.contains("file halves.geojson") })

            let page = try await client.execute(uri: "/oversight", method: .get, headers: [.cookie: "zc_session=\(analyst.token)"])
            #expect(page.status == .ok)
            let text = page.text
            #expect(text.contains("id=\"equity-map\"") && text.contains("id=\"equity-map-legend\"") && text.contains("class=\"confidential\""))
            // Each area's class follows the ratio the audit computes from the store; an area with neither zones nor
            // harm (in the fixture's day and a half of C1) is left unshaded and counted as such.
            let report = try await OversightData.equity(store: store, areas: try set.areas(), areaSetLabel: set.label, now: WebFixture.now)
            #expect(report.audit.totalZoneCellDays > 0)
            var shaded = 0
            for row in report.audit.rows {
                let escaped = row.area.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
                guard let k = EquityMap.classIndex(ratio: row.ratio, zoneShare: row.zoneShare) else {
                    #expect(!text.contains("<title>\(escaped): selection ratio") && text.contains("data-class=\"none\""), "\(row.area)")
                    continue
                }
                shaded += 1
                let key = k < EquityMap.colours.count ? "ratio-\(k)" : EquityMap.withoutHarm.key
                #expect(text.contains("data-layer=\"area-\(key)\""), "\(row.area) in \(key)")
                #expect(text.contains("<title>\(escaped): selection ratio"), "\(row.area)")
            }
            #expect(shaded >= 1)
            #expect(!text.contains("East <b>side</b>"))
            for c in EquityMap.classes + [EquityMap.withoutHarm] { #expect(text.contains("data-class=\"\(c.key)\""), "\(c.key)") }
            let viewed = try await store.latestAuditEntries(limit: 5)
            #expect(viewed.contains { $0.actor == "analyst" && $0.subject == "oversight" && $0.detail.contains("Halves with its area map") })

            let auditor = try await OversightRouteTests.session(client, .auditor)
            let figures = try await client.execute(uri: "/oversight", method: .get, headers: [.cookie: "zc_session=\(auditor.token)"])
            #expect(figures.status == .ok && figures.text.contains("id=\"equity-table\"") && figures.text.contains("data-area=\"West\""))
            #expect(!figures.text.contains("equity-map") && !figures.text.contains("equity-choropleth") && !figures.text.contains("class=\"confidential\""))
            let auditorView = try await store.latestAuditEntries(limit: 5)
            #expect(auditorView.contains { $0.actor == "auditor" && $0.subject == "oversight" && !$0.detail.contains("area map") })
        }
    }

    @Test("given the upload form, when the file is one byte over the limit, of the wrong type, sent without the CSRF token, sent beside pasted text, or cut off before its closing boundary, then each is refused (413 naming the field and the limit, 400 naming the field and the type, 403, 400, 400) and nothing is stored; a pasted text in a multipart form with an empty file input is still taken")
    func refusedUploads() async throws {
        let store = try await WebFixture.store()
        let app = await Application(router: buildRouter(WebFixture.environment(store)))
        try await app.test(.router) { client in
            let analyst = try await OversightRouteTests.session(client, .analyst)
            let geoJSON = Array(try await Self.halves().utf8)
            func post(_ fields: [(String, String)], _ file: FilePart?) async throws -> TestResponse {
                try await client.execute(uri: "/oversight/areas", method: .post, headers: Self.headers(analyst.token), body: Self.multipart(fields, file: file))
            }
            let token = [("csrf", analyst.csrf), ("label", "Halves")]
            let limit = EquityAreaSet.maxBytes
            let padded = geoJSON + [UInt8](repeating: UInt8(ascii: " "), count: limit + 1 - geoJSON.count)
            let big = try await post(token, FilePart(filename: "big.geojson", type: "application/geo+json", bytes: padded))
            #expect(big.status == .contentTooLarge && big.text.contains("geojson_file") && big.text.contains("\(limit) bytes"), "\(big.text.prefix(300))")

            let png = try await post(token, FilePart(filename: "beats.png", type: "image/png", bytes: geoJSON))
            #expect(png.status == .badRequest && png.text.contains("geojson_file") && png.text.contains("image/png"))
            let txt = try await post(token, FilePart(filename: "beats.txt", type: "text/plain", bytes: geoJSON))
            #expect(txt.status == .badRequest && txt.text.contains("geojson_file") && txt.text.contains("beats.txt"))

            let noToken = try await post([("label", "Halves")], FilePart(filename: "halves.geojson", type: "application/geo+json", bytes: geoJSON))
            #expect(noToken.status == .forbidden)
            let wrongToken = try await post([("csrf", "x"), ("label", "Halves")], FilePart(filename: "halves.geojson", type: nil, bytes: geoJSON))
            #expect(wrongToken.status == .forbidden)

            let both = try await post(token + [("geojson", String(decoding: geoJSON, as: UTF8.self))],
                                      FilePart(filename: "halves.geojson", type: "application/json", bytes: geoJSON))
            #expect(both.status == .badRequest && both.text.contains("not both"))
            var cut = Self.multipart(token, file: FilePart(filename: "halves.geojson", type: "application/geo+json", bytes: geoJSON))
            cut.moveWriterIndex(to: cut.writerIndex - 40)
            let truncated = try await client.execute(uri: "/oversight/areas", method: .post, headers: Self.headers(analyst.token), body: cut)
            #expect(truncated.status == .badRequest)
            #expect(try await store.documents(EquityAreaSet.self).isEmpty)

            // A browser sends an empty file part when only the text box is filled: the pasted text is taken.
            let pasted = try await post(token + [("geojson", String(decoding: geoJSON, as: UTF8.self))],
                                        FilePart(filename: "", type: "application/octet-stream", bytes: []))
            #expect(pasted.status == .seeOther)
            let stored = try await store.documents(EquityAreaSet.self)
            #expect(stored.count == 1 && stored.first?.areaNames == ["West", "East <b>side</b>"])
            let entries = try await store.latestAuditEntries(limit: 5)
            #expect(entries.contains { $0.actor == "analyst" && $0.detail.contains("(pasted)") })
        }
    }

    @Test("given ratios at and around each class break, then each falls in the class whose range holds it (lower bound included), an area with zones but no harm in the no-harm class, and one with neither in none")
    func classBreaks() {
        let cases: [(Double, Int)] = [(0, 0), (0.49, 0), (0.5, 1), (0.66, 1), (0.9, 3), (1.0, 3), (1.12, 4), (1.49, 4), (1.5, 5), (1.99, 5), (2, 6), (40, 6)]
        for (ratio, expected) in cases { #expect(EquityMap.classIndex(ratio: ratio, zoneShare: 0.1) == expected, "\(ratio)") }
        #expect(EquityMap.classIndex(ratio: nil, zoneShare: 0.1) == EquityMap.colours.count)
        #expect(EquityMap.classIndex(ratio: nil, zoneShare: 0) == nil)
        #expect(EquityMap.classes.count == EquityMap.breaks.count + 1 && EquityMap.classes.map(\.colour) == EquityMap.colours)
    }

    @Test("given the two halves of the fixture's jurisdiction, when their cells are found on the map's grid, then every active cell is in exactly one half and each cell's centre lies on its half's side of the middle longitude")
    func areaCells() async throws {
        let store = await Self.store
        let jurisdiction = try #require(try await store.jurisdiction())
        let areas = try EquityAreaSet.make(id: "t", at: WebFixture.now, by: "t", label: "t", geoJSON: try await Self.halves()).1
        let grid = try #require(EquityMap.grid(jurisdiction, minimumCellMeters: 150))
        #expect(grid.activeCells.count <= EquityMap.maxCells && grid.cellSizeMeters >= 150)
        let cells = EquityMap.cells(of: areas, grid: grid, projection: jurisdiction.projection)
        #expect(cells.count == 2 && Set(cells[0]).isDisjoint(with: cells[1]) && (cells[0] + cells[1]).sorted() == grid.activeCells.sorted())
        let box = try #require(jurisdiction.boundary.boundingBox)
        let midLon = (box.minLongitude + box.maxLongitude) / 2
        let p = jurisdiction.projection.prepared()
        #expect(!cells[0].isEmpty && cells[0].allSatisfy { p.unproject(grid.center(of: $0)).longitude <= midLon })
        #expect(!cells[1].isEmpty && cells[1].allSatisfy { p.unproject(grid.center(of: $0)).longitude >= midLon })
    }

    @Test("given multipart bodies, then the parser takes a quoted boundary and a quoted file name holding a semicolon, keeps multi-line text only in multi-line fields, and refuses a file on a form that takes none, a second file, more than 32 parts and a part without a field name, each with a 400 naming what is wrong")
    func parserRules() throws {
        #expect(try MultipartForm.boundary(contentType: "multipart/form-data; boundary=\"a;b c\"") == "a;b c")
        #expect(try MultipartForm.boundary(contentType: "application/x-www-form-urlencoded") == nil)
        #expect(throws: WebError.self) { try MultipartForm.boundary(contentType: "multipart/form-data") }
        func body(_ parts: [String]) -> [UInt8] { Array((parts.map { "--\(Self.boundary)\r\n\($0)\r\n" }.joined() + "--\(Self.boundary)--").utf8) }
        func message(_ bytes: [UInt8], fileBytes: Int = 100) -> String {
            do { _ = try MultipartForm.parse(bytes, boundary: Self.boundary, fileBytes: fileBytes); return "" } catch { return "\(error)" }
        }
        let file = "Content-Disposition: form-data; name=\"geojson_file\"; filename=\"a;b.geojson\"\r\nContent-Type: Application/JSON\r\n\r\n{}"
        let notes = "Content-Disposition: form-data; name=\"notes\"\r\n\r\nline one\r\nline two"
        let parsed = try MultipartForm.parse(body([file, notes]), boundary: Self.boundary, fileBytes: 100)
        #expect(parsed.file == UploadedFile(field: "geojson_file", filename: "a;b.geojson", contentType: "application/json", bytes: Array("{}".utf8)))
        #expect(parsed.form["notes"] == "line one\r\nline two")
        #expect(message(body(["Content-Disposition: form-data; name=\"label\"\r\n\r\nline one\r\nline two"])).contains("label"))
        #expect(message(body([file]), fileBytes: 0).contains("geojson_file: this form takes no file"))
        #expect(message(body([file, file])).contains("only one file"))
        #expect(message(body([String](repeating: notes, count: MultipartForm.maxParts + 1))).contains("more than \(MultipartForm.maxParts) parts"))
        #expect(message(body(["Content-Disposition: form-data\r\n\r\nx"])).contains("names no field"))
        #expect(message(body([file]), fileBytes: 1).contains("geojson_file: the file a;b.geojson is 2 bytes, more than the limit of 1 bytes"))
    }
}
