import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastWeb
import ZoneCastOperations
import NIOFoundationEssentialsCompat

/// Issue #12 items 1, 2, 11 and 12 at the web edge: numbers, control characters, broken encoding and dates from a
/// request are refused with a 400 naming the field, never a trap; and two reads of zone data that were not logged.
@Suite("Input at the edge: extreme numbers, control characters, strict dates", .serialized)
struct InputEdgeTests {
    static var approved: SQLiteIncidentStore { get async { await approvedTask.value } }
    private static let approvedTask = Task { try! await ApprovedFixture.store() }
    static var proposed: SQLiteIncidentStore { get async { await proposedTask.value } }
    private static let proposedTask = Task { try! await WebFixture.store() }

    static func patrol(_ activities: String = #"{"communityContacts":1}"#, started: String = "2024-06-02T10:00:00Z", ended: String = "2024-06-02T10:14:00Z", notes: String = #""ok""#) -> String {
        #"{"cycle":"C1","zone":"Z1","startedAt":"\#(started)","endedAt":"\#(ended)","activities":\#(activities),"notes":\#(notes)}"#
    }

    func healthy(_ client: some TestClientProtocol) async throws -> Bool {
        try await client.execute(uri: "/health", method: .get).status == .ok
    }

    func error(_ r: TestResponse) -> String { ((try? JSONSerialization.jsonObject(with: Data(buffer: r.body))) as? [String: Any])?["error"] as? String ?? r.text }

    @Test("given an officer's patrol with an activity count of 1e19, 9223372036854775807, 2^70 or -1e300, then each is a 400 naming activities.communityContacts and its value, and the server still answers /health")
    func extremeCounts() async throws {
        let env = await WebFixture.environment(Self.approved)
        let token = try await storeToken(Self.approved, username: "officer", id: "officerEdg01", expiresAt: WebFixture.now.addingTimeInterval(86_400))
        try await Application(router: buildRouter(env)).test(.router) { client in
            for value in ["1e19", "9223372036854775807", "1180591620717411303424", "-1e300", "-9223372036854775809", "501", "-1", "2.5"] {
                let r = try await postPatrol(client, Self.patrol(#"{"communityContacts":\#(value)}"#), token: token)
                #expect(r.status == .badRequest, "\(value) → \(r.status)")
                #expect(error(r).contains("activities.communityContacts"), "\(value): \(error(r))")
                #expect(try await healthy(client))
            }
            // In range (and -0, which is 0) is accepted.
            let ok = try await postPatrol(client, Self.patrol(#"{"communityContacts":-0,"arrests":500}"#), token: token)
            #expect(ok.status == .created, "\(ok.text.prefix(200))")
        }
    }

    @Test("given an analyst drawing a zone whose outline has a point far from the jurisdiction (0,-7.001), then it is a 400 naming points, nothing is recorded, and the server still answers /health")
    func farOutline() async throws {
        let env = await WebFixture.environment(Self.proposed)
        try await Application(router: buildRouter(env)).test(.router) { client in
            let analyst = try await TestSession.start(client, as: "analyst")
            let before = try await Self.proposed.latestAuditEntries(limit: 1).first?.sequence ?? 0
            for points in ["38.48,-97.06; 38.49,-97.05; 0,-7.001", "38.48,-97.06; 38.49,-97.05; 89.9,179.9", "38.48,-97.06; 38.49,-97.05; -89.9,-179.9"] {
                let r = try await analyst.post(client, "/proposals/C1/adjustments", ["action": "draw-zone", "reason": "hot spot", "points": points])
                #expect(r.status == .badRequest, "\(points) → \(r.status)")
                #expect(r.text.contains("points") && r.text.contains("outside the jurisdiction"), "\(r.text.suffix(600))")
                #expect(try await healthy(client))
            }
            // Nothing recorded: no adjustment; the audit log only logs the proposal page shown again with the refusal
            // (zone locations on the page, read like the GET).
            await #expect(try Self.proposed.documents(ProposalAdjustment.self, group: "C1").isEmpty)
            let logged = try await Self.proposed.latestAuditEntries(limit: 10).filter { $0.sequence > before }
            #expect(logged.count == 3 && logged.allSatisfy { $0.action == "view-zones" }, "\(logged.map(\.action))")
        }
    }

    @Test("given NUL, other control characters or bytes that are not UTF-8 in a query string, a path, a form field or a JSON string, then each is a 400 naming the field, nothing is written, and the audit chain stays intact")
    func controlCharacters() async throws {
        let env = await WebFixture.environment(Self.approved)
        let token = try await storeToken(Self.approved, username: "officer", id: "officerEdg02", expiresAt: WebFixture.now.addingTimeInterval(86_400))
        try await Application(router: buildRouter(env)).test(.router) { client in
            let analyst = try await TestSession.start(client, as: "analyst")
            let before = try await Self.approved.latestAuditEntries(limit: 1).first?.sequence ?? 0
            // Query strings and paths (the example of the issue: /api/surface?cycle=<id>%00 broke `audit verify`).
            for (uri, field) in [("/api/surface?cycle=C1%00", "cycle"), ("/api/surface?cycle=C1%1B%5B31m", "cycle"), ("/api/incidents?from=%FF", "from"),
                                 ("/api/incidents?category=robbery%7F", "category"), ("/api/surface?cycle=C1%0A", "cycle"), ("/api/surface?cycle=%E0%80%80", "cycle"),
                                 ("/api/surface?cycle=C1%zz", "cycle"), ("/api/cycles/C1%00", "path"), ("/proposals/C1%00", "path"), ("/audit?actor=a%00", "actor")] {
                let r = try await client.execute(uri: uri, method: .get, headers: analyst.headers)
                #expect(r.status == .badRequest, "\(uri) → \(r.status)")
                #expect(error(r).contains(field), "\(uri): \(error(r).prefix(200))")
            }
            // Form fields: NUL anywhere, tab or new line in a one-line field, invalid UTF-8.
            for (fields, field) in [(["action": "add-cells", "zone": "Z1", "cells": "1", "reason": "a\u{0}b"], "reason"),
                                    (["action": "add-cells", "zone": "Z1\t", "cells": "1", "reason": "x"], "zone"),
                                    (["action": "add-cells\u{7F}", "zone": "Z1", "cells": "1", "reason": "x"], "action"),
                                    (["action": "add-cells", "zone": "Z1", "cells": "1", "reason": "x", "note\u{1}": "x"], "field name")] {
                let r = try await analyst.post(client, "/proposals/C1/adjustments", fields)
                #expect(r.status == .badRequest, "\(fields) → \(r.status)")
                #expect(r.text.contains(field) && r.text.contains("control character"), "\(fields): \(r.text.prefix(300))")
            }
            let invalid = try await client.execute(uri: "/proposals/C1/adjustments", method: .post, headers: [.cookie: analyst.cookie, .contentType: "application/x-www-form-urlencoded"],
                                                   body: ByteBuffer(string: "csrf=\(analyst.csrf)&action=add-cells&zone=Z1&cells=1&reason=%FF%FE"))
            #expect(invalid.status == .badRequest && invalid.text.contains("reason") && invalid.text.contains("not valid UTF-8"), "\(invalid.text.prefix(300))")
            // JSON strings: a \u0000 escape, a tab in a one-line field; a raw byte that is not UTF-8.
            for (body, field) in [(Self.patrol(notes: #""a\u0000b""#), "notes"), (Self.patrol(notes: #""\u001b[2J""#), "notes"),
                                  (#"{"cycle":"C1","zone":"Z1\t","startedAt":"2024-06-02T10:00:00Z","endedAt":"2024-06-02T10:14:00Z"}"#, "zone"),
                                  (#"{"cycle":"C1","zone":"Z1","startedAt":"2024-06-02T10:00:00Z","endedAt":"2024-06-02T10:14:00Z","x\u0000":1}"#, "field name")] {
                let r = try await postPatrol(client, body, token: token)
                #expect(r.status == .badRequest, "\(body) → \(r.status)")
                #expect(error(r).contains(field) && error(r).contains("control character"), "\(body): \(error(r))")
            }
            let raw = try await client.execute(uri: "/api/patrols", method: .post, headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                                               body: ByteBuffer(bytes: Array(Self.patrol(notes: "\"a").utf8) + [0xFF] + Array("\"}".utf8)))
            #expect(raw.status == .badRequest && error(raw).contains("UTF-8"), "\(raw.text.prefix(200))")
            await #expect(try Self.approved.latestAuditEntries(limit: 1).first?.sequence ?? 0 == before, "a refused request wrote to the audit log")
            // Free text of several lines keeps its new lines and tabs.
            let multi = try await postPatrol(client, Self.patrol(started: "2024-06-02T08:00:00Z", ended: "2024-06-02T08:10:00Z", notes: #""line one\n\tline two""#), token: token)
            #expect(multi.status == .created, "\(multi.text.prefix(200))")
            await #expect(try Self.approved.verifyAuditChain().problem == nil)
        }
    }

    @Test("given dates that do not exist (2024-02-30, 2024-05-32, hour 24, offset +25:00, year 20240), then the API refuses them with a 400 naming the field instead of rolling over to another day; real dates (2024-02-29) still work")
    func strictDates() async throws {
        let env = await WebFixture.environment(Self.approved)
        let token = try await storeToken(Self.approved, username: "officer", id: "officerEdg03", expiresAt: WebFixture.now.addingTimeInterval(86_400))
        try await Application(router: buildRouter(env)).test(.router) { client in
            let analyst = try await TestSession.start(client, as: "analyst")
            for from in ["2024-02-30T00:00:00Z", "2024-02-30T00:00:00%2B00:00", "2023-02-29", "2024-05-32T00:00:00.5Z", "2024-05-01T24:00:00Z", "2024-05-01T10:00:00%2B25:00", "20240-05-01", "0001-01-01T00:00:00Z"] {
                let r = try await client.execute(uri: "/api/incidents?from=\(from)", method: .get, headers: analyst.headers)
                #expect(r.status == .badRequest, "from=\(from) → \(r.status)")
                #expect(error(r).contains("from"), "\(error(r))")
            }
            for from in ["2024-02-29", "2024-02-29T23:59:59Z", "2024-03-01T10:00:00.250%2B05:30", "2024-05-01T10:00Z"] {
                let r = try await client.execute(uri: "/api/incidents?from=\(from)", method: .get, headers: analyst.headers)
                #expect(r.status == .ok, "from=\(from) → \(r.status): \(r.text.prefix(200))")
            }
            // A patrol "on 32 May" was taken as 1 June (inside cycle C1).
            let r = try await postPatrol(client, Self.patrol(started: "2024-05-32T10:00:00Z", ended: "2024-05-32T10:14:00Z"), token: token)
            #expect(r.status == .badRequest && error(r).contains("startedAt"), "\(r.status): \(error(r))")
        }
        // Wall-clock readings from forms: the same rules.
        let tz = TimeZone(identifier: "America/Chicago")!
        #expect(StrictDates.localDateTime("2024-02-30T10:00", timeZone: tz) == nil)
        #expect(StrictDates.localDateTime("2024-06-02T25:00", timeZone: tz) == nil)
        #expect(StrictDates.localDateTime("2024-06-02T10:60", timeZone: tz) == nil)
        #expect(StrictDates.localDateTime("2024-06-02T14:30", timeZone: tz) == ISO8601DateFormatter().date(from: "2024-06-02T19:30:00Z"))
        let form = try Form(strict: Array("scheduledAt=2026-02-30T10%3A00".utf8))
        #expect(throws: WebError.self) { try form.localDateTime("scheduledAt", timeZone: tz) }
    }

    @Test("given a cycle approved with a free-text reason, when each role reads /api/cycles/{id}, then only roles that see every zone get approvalReason (it speaks of every zone: an officer must not learn of other units' zones)")
    func approvalReasonByRole() async throws {
        let env = await WebFixture.environment(Self.approved)
        try await Application(router: buildRouter(env)).test(.router) { client in
            for role in Role.allCases {
                let session = try await TestSession.start(client, as: role.rawValue)
                let r = try await client.execute(uri: "/api/cycles/C1", method: .get, headers: session.headers)
                #expect(r.status == .ok)
                let object = try jsonObject(r)
                if role.may(.viewAllZones) {
                    #expect(object["approvalReason"] as? String == "approved at the test IRIS meeting", "\(role)")
                } else {
                    #expect(object["approvalReason"] == nil && !r.text.contains("test IRIS meeting"), "\(role) got the approval reason")
                }
            }
        }
    }

    @Test("given a commander's deployment form refused (unknown zone), when the page with the zone map is shown again, then that view is in the audit log")
    func refusedDeploymentAudited() async throws {
        let env = await WebFixture.environment(Self.approved)
        try await Application(router: buildRouter(env)).test(.router) { client in
            let commander = try await TestSession.start(client, as: "commander")
            let before = try await Self.approved.latestAuditEntries(limit: 1).first?.sequence ?? 0
            let r = try await commander.post(client, "/deployments/C1", ["zone": "nope", "unit": "Traffic Division"])
            #expect(r.status == .badRequest && r.text.contains("deployment-map"))
            let entries = try await Self.approved.latestAuditEntries(limit: 5).filter { $0.sequence > before }
            #expect(entries.count == 1 && entries.first?.action == "view-zones" && entries.first?.subject == "C1" && entries.first?.actor == "commander", "\(entries.map(\.action))")
        }
    }
}
