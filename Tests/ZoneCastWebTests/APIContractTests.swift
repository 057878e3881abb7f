import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastAPI
import ZoneCastSQLite
@testable import ZoneCastWeb
import NIOFoundationEssentialsCompat

/// The API's contract (Sources/ZoneCastAPI/openapi.yaml) against the code generated from it, the access table
/// and what the server sends: nulls, headers, and errors that name the field and the value.
@Suite("API contract: generated code, access table, errors", .serialized)
struct APIContractTests {
    static var store: SQLiteIncidentStore { get async { await storeTask.value } }
    private static let storeTask = Task { try! await WebFixture.store() }
    static var approved: SQLiteIncidentStore { get async { await approvedTask.value } }
    private static let approvedTask = Task { try! await ApprovedFixture.store() }
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/ZoneCastAPI").standardized

    /// "GET /api/cycles/{id}" for every operation in the served document.
    static func documentedOperations() throws -> Set<String> {
        let doc = try #require(try JSONSerialization.jsonObject(with: OpenAPIDocument.json) as? [String: Any])
        let paths = try #require(doc["paths"] as? [String: [String: Any]])
        return Set(paths.flatMap { path, ops in ops.keys.map { "\($0.uppercased()) \(path)" } })
    }

    @Test("openapi.yaml has not changed since scripts/generate-api last generated the code and openapi.json from it")
    func generatedFromTheContract() async throws {
        let yaml = try Data(contentsOf: Self.sources.appendingPathComponent("openapi.yaml"))
        let digest = SHA256.hash(data: yaml).map { String(format: "%02x", $0) }.joined()
        let recorded = try String(contentsOf: Self.sources.appendingPathComponent("Generated/openapi.yaml.sha256"), encoding: .utf8)
        #expect(digest == recorded.trimmingCharacters(in: .whitespacesAndNewlines), "openapi.yaml changed: run scripts/generate-api and commit Generated/")
        let json = try Data(contentsOf: Self.sources.appendingPathComponent("Generated/openapi.json"))
        #expect(json == OpenAPIDocument.json)
        #expect(try Self.documentedOperations().count == 9)
    }

    @Test("the access table covers exactly the document's operations and agrees with the permission matrix test's rules")
    func accessTableCoversTheDocument() async throws {
        let documented = try Self.documentedOperations()
        #expect(Set(APIOperations.access.keys) == documented)
        for (operation, access) in APIOperations.access {
            let rule = try #require(RouteTable.rules[operation], "\(operation) has no rule in RouteTable")
            switch (access, rule) {
            case (.open, .open), (.signedIn, .signedIn): break
            case (.anyOf(let ps), .needs(let p)): #expect(ps == [p], "\(operation)")
            case (.anyOf(let ps), .anyOf(let qs)): #expect(ps == qs, "\(operation)")
            default: Issue.record("\(operation): \(access) against \(rule)")
            }
        }
    }

    @Test("the document is served as generated; absent values are null as before; headers are plain text")
    func servedShapes() async throws {
        let env = await WebFixture.environment(Self.store)
        let analyst = try await storeToken(Self.store, username: "analyst", id: "analystCon01", expiresAt: WebFixture.now.addingTimeInterval(86_400))
        try await Application(router: buildRouter(env)).test(.router) { client in
            let doc = try await client.execute(uri: "/api/openapi.json", method: .get)
            #expect(doc.status == .ok && Data(buffer: doc.body) == OpenAPIDocument.json && doc.headers[.contentType] == "application/json")
            // The fixture has a proposal and no cycle in force.
            let zones = try await client.execute(uri: "/api/zones", method: .get, headers: bearer(analyst))
            #expect(try zones.status == .ok && jsonObject(zones)["active"] is NSNull && jsonObject(zones)["proposed"] is [String: Any])
            #expect(zones.headers[.cacheControl] == "no-store" && zones.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            let patrols = try jsonObject(try await client.execute(uri: "/api/patrols", method: .get, headers: bearer(analyst)))
            #expect(patrols["cycle"] is NSNull && (patrols["patrols"] as? [Any])?.isEmpty == true)
            let export = try await client.execute(uri: "/api/zones.geojson", method: .get, headers: bearer(analyst))
            #expect(export.headers[.contentDisposition] == "attachment; filename=\"zonecast-zones.geojson\"")
            // A client that asks for something else still gets JSON, as before.
            let html = try await client.execute(uri: "/api/cycles", method: .get, headers: [.authorization: "Bearer \(analyst)", .accept: "text/html"])
            #expect(html.status == .ok && html.headers[.contentType]?.hasPrefix("application/json") == true)
        }
    }

    @Test("refusals name the field or parameter and the value: decoding, unknown fields, wrong types, control characters, content types")
    func errorsNameFieldAndValue() async throws {
        let store = await Self.approved
        let env = WebFixture.environment(store)
        let officer = try await storeToken(store, username: "officer", id: "officerCon01", expiresAt: WebFixture.now.addingTimeInterval(86_400))
        let analyst = try await storeToken(store, username: "analyst", id: "analystCon02", expiresAt: WebFixture.now.addingTimeInterval(86_400))
        let times = #""startedAt":"2024-06-02T11:00:00Z","endedAt":"2024-06-02T11:10:00Z""#
        try await Application(router: buildRouter(env)).test(.router) { client in
            let cases: [(String, String)] = [
                (#"{"zone":"Z1",\#(times),"activities":{"arrests":1.5}}"#, #"activities.arrests "1.5": must be a whole number"#),
                (#"{"zone":"Z1",\#(times),"activities":{"arrests":1e19}}"#, #"activities.arrests "#),
                (#"{"zone":"Z1",\#(times),"activities":{"arrests":"2"}}"#, #"activities.arrests "2": must be a whole number"#),
                (#"{"zone":"Z1",\#(times),"activities":{"speed":2}}"#, #"activities.speed "2": unknown field (expected arrests, businessChecks, "#),
                (#"{"zone":"Z1",\#(times),"speed":2}"#, #"speed "2": unknown field (expected activities, cycle, endedAt, notes, startedAt, unit, zone)"#),
                (#"{"zone":"Z1",\#(times),"activities":[1]}"#, #"activities "[...]": must be a JSON object"#),
                (#"{"zone":7,\#(times)}"#, #"zone "7": must be a string"#),
                (#"{"zone":"Z1\u0000",\#(times)}"#, #"zone "Z1\u{0}": contains the control character U+0000"#),
                (#"{"zone":"Z1",\#(times),"notes":"a\u001bb"}"#, #"notes "a\u{1b}b": contains the control character U+001B"#),
                (#"[]"#, #"body "[...]": must be a JSON object"#),
                ("{zone", "body: not valid JSON"),
                ("", "body: "),
            ]
            for (body, expected) in cases {
                let r = try await postPatrol(client, body, token: officer)
                let message = try jsonObject(r)["error"] as? String ?? ""
                #expect(r.status == .badRequest && message.hasPrefix(expected), "\(body): \(message)")
            }
            let multiline = try await postPatrol(client, #"{"zone":"Z1",\#(times),"notes":"line one\nline two\tend"}"#, token: officer)
            #expect(multiline.status == .created, "\(multiline.text)")
            let text = try await postPatrol(client, "{}", token: officer, type: "text/plain")
            #expect(try text.status == .unsupportedMediaType && (jsonObject(text)["error"] as? String)?.contains("text/plain") == true)
            let invalidUTF8 = try await client.execute(uri: "/api/patrols", method: .post,
                                                       headers: [.authorization: "Bearer \(officer)", .contentType: "application/json"],
                                                       body: ByteBuffer(bytes: Array(#"{"zone":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)))
            #expect(try invalidUTF8.status == .badRequest && (jsonObject(invalidUTF8)["error"] as? String)?.contains("UTF-8") == true)
            let ten = try await client.execute(uri: "/api/incidents?limit=ten", method: .get, headers: bearer(analyst))
            #expect(try ten.status == .badRequest && (jsonObject(ten)["error"] as? String)?.hasPrefix(#"limit "ten""#) == true, "\(ten.text)")
            let noCycle = try await client.execute(uri: "/api/surface?top=5", method: .get, headers: bearer(analyst))
            #expect(try noCycle.status == .badRequest && (jsonObject(noCycle)["error"] as? String)?.hasPrefix("cycle") == true, "\(noCycle.text)")
        }
    }
}
