import Foundation
import HTTPTypes
import Hummingbird
import ZoneCastAccess
import ZoneCastCore
import ZoneCastForecast
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastStore

/// The JSON API: the same data as the pages, for integrations (records systems, dashboards, GIS). Callers
/// authenticate with a session cookie or `Authorization: Bearer zc_<id>_<secret>` and get their account's role;
/// every route checks the same permission matrix as the pages; errors are JSON (`{"error": "..."}`). Every read
/// of zone locations is in the audit log (with the token id when a token was used). `APIDocument` in
/// OpenAPI.swift describes every route registered here (a test checks the two agree).
func addAPIRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    router.get("/api/openapi.json") { _, _ -> Response in
        jsonData(try APIDocument.data())
    }

    router.get("/api/zones") { request, _ -> Response in
        let caller = try await env.apiCaller(request, requiring: .viewZoneLocations)
        let active = try env.activeCycle()
        let proposed = caller.may(.viewAllZones) ? try env.pendingProposal() : nil
        func zones(_ view: CycleView?, _ list: [ZoneCycle.ExplainedZone]) -> [[String: Any]] {
            list.map { z in
                ["id": z.id, "status": z.status.rawValue, "cells": z.zone.cells, "areaKm2": (z.zone.areaKm2 * 1e4).rounded() / 1e4,
                 "forecastHarm": z.explanation.forecastHarm, "explanation": z.explanation.text,
                 "units": view?.deployments[z.id]?.units.map(\.name) ?? []]
            }
        }
        let activeZones = active?.visibleZones(for: caller.account) ?? []
        try env.audit(caller, .viewZones, [active?.cycle.id, proposed?.cycle.id].compactMap { $0 }.joined(separator: ","), "api: \(activeZones.count) active, \(proposed?.zones.count ?? 0) proposed")
        return json([
            "classification": "CONFIDENTIAL",
            "active": active.map { (v: CycleView) -> Any in ["cycle": v.cycle.id, "status": v.status.rawValue, "startsAt": iso(v.cycle.startsAt), "endsAt": iso(v.cycle.endsAt), "zones": zones(v, activeZones)] } ?? NSNull(),
            "proposed": proposed.map { (v: CycleView) -> Any in ["cycle": v.cycle.id, "startsAt": iso(v.cycle.startsAt), "endsAt": iso(v.cycle.endsAt), "zones": zones(v, v.zones)] } ?? NSNull(),
        ])
    }

    router.get("/api/zones.geojson") { request, _ -> Response in
        let caller = try await env.apiCaller(request, requiring: .exportData)
        let query = Form(request.uri.query ?? "")
        var views: [CycleView] = []
        if let id = APIQuery.optional(query, "cycle") {
            guard let record = try env.store.cycle(id: id) else { throw WebError(.notFound, "no cycle \(id)", api: true) }
            views = [try env.cycleView(record)]
        } else {
            views = [try env.activeCycle(), caller.may(.viewAllZones) ? try env.pendingProposal() : nil].compactMap { $0 }
        }
        guard let jurisdiction = try env.store.jurisdiction() else { throw WebError(.notFound, "no jurisdiction: import data first", api: true) }
        let projection = jurisdiction.projection.prepared()
        var features: [[String: Any]] = []
        var exported: [String] = []
        for view in views {
            let grid = await env.surfaces.grid(for: jurisdiction, cellSizeMeters: view.cycle.provenance.cellSizeMeters)
            let s = grid.cellSizeMeters
            for z in view.visibleZones(for: caller.account) {
                let polygons: [[[[Double]]]] = z.zone.cells.map { c in
                    let x0 = grid.originX + Double(grid.column(of: c)) * s, y0 = grid.originY + Double(grid.row(of: c)) * s
                    let ring = [(x0, y0), (x0 + s, y0), (x0 + s, y0 + s), (x0, y0 + s), (x0, y0)].map { p -> [Double] in
                        let g = projection.unproject(PlanarPoint(xMeters: p.0, yMeters: p.1))
                        return [(g.longitude * 1e7).rounded() / 1e7, (g.latitude * 1e7).rounded() / 1e7]
                    }
                    return [ring]
                }
                features.append([
                    "type": "Feature", "id": "\(view.cycle.id)/\(z.id)",
                    "properties": ["id": z.id, "cycle": view.cycle.id, "status": z.status.rawValue, "cycleStatus": view.status.rawValue,
                                   "startsAt": iso(view.cycle.startsAt), "endsAt": iso(view.cycle.endsAt), "areaKm2": (z.zone.areaKm2 * 1e4).rounded() / 1e4,
                                   "forecastHarm": z.explanation.forecastHarm, "units": view.deployments[z.id]?.units.map(\.name) ?? [],
                                   "classification": "CONFIDENTIAL", "synthetic": jurisdiction.isSynthetic],
                    "geometry": ["type": "MultiPolygon", "coordinates": polygons],
                ])
                exported.append("\(view.cycle.id)/\(z.id)")
            }
        }
        try env.audit(caller, .export, "geojson", exported.isEmpty ? "no zones" : exported.joined(separator: ","))
        let collection: [String: Any] = [
            "type": "FeatureCollection",
            "properties": ["classification": "CONFIDENTIAL", "note": "Patrol zone locations: do not share outside the department.",
                           "exportedBy": caller.username, "exportedAt": iso(env.clock())],
            "features": features,
        ]
        var response = jsonData(Data(try JSONText.bytes(collection)), contentType: "application/geo+json")
        response.headers[.contentDisposition] = "attachment; filename=\"zonecast-zones.geojson\""
        return response
    }

    router.get("/api/cycles") { request, _ -> Response in
        // Which cycles exist and their status are not secret (an auditor checks them); their cells are.
        let caller = try await env.apiCaller(request)
        let now = env.clock()
        let list: [[String: Any]] = try env.store.cycles().map { r in
            let cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: r.document)
            return ["id": r.id, "status": r.status(at: now).rawValue, "startsAt": iso(r.startsAt), "endsAt": iso(r.endsAt), "createdAt": iso(r.createdAt),
                    "zoneCount": cycle.approvedZones?.count ?? cycle.zones.count, "proposedZoneCount": cycle.zones.count, "model": cycle.provenance.model]
        }
        _ = caller
        return json(["cycles": list, "now": iso(now)])
    }

    router.get("/api/cycles/{id}") { request, context -> Response in
        let caller = try await env.apiCaller(request)
        let id = try context.parameters.require("id")
        guard let record = try env.store.cycle(id: id) else { throw WebError(.notFound, "no cycle \(id)", api: true) }
        let view = try env.cycleView(record)
        var out: [String: Any] = [
            "id": view.cycle.id, "status": view.status.rawValue, "startsAt": iso(view.cycle.startsAt), "endsAt": iso(view.cycle.endsAt),
            "createdAt": iso(record.createdAt), "zoneCount": view.zones.count,
            "model": view.cycle.provenance.model, "cellSizeMeters": view.cycle.provenance.cellSizeMeters,
            "incidentCount": view.cycle.provenance.incidentCount, "incidentDigest": view.cycle.provenance.incidentDigest,
        ]
        if caller.may(.viewZoneLocations) {
            // Free text from the IRIS meeting, which can name streets and addresses: only for roles that see zones.
            out["approvalReason"] = view.cycle.approvalReason ?? NSNull()
            let visible = view.visibleZones(for: caller.account)
            let jurisdiction = try env.store.jurisdiction()
            let projection = jurisdiction?.projection.prepared()
            out["classification"] = "CONFIDENTIAL"
            out["zones"] = visible.map { z -> [String: Any] in
                var zone: [String: Any] = [
                    "id": z.id, "status": z.status.rawValue, "reason": z.reason, "cells": z.zone.cells, "areaKm2": (z.zone.areaKm2 * 1e4).rounded() / 1e4,
                    "forecastHarm": z.explanation.forecastHarm, "shareOfCity": z.explanation.shareOfCity, "explanation": z.explanation.text,
                    "places": z.explanation.places, "units": view.deployments[z.id]?.units.map(\.name) ?? [],
                    "categories": z.explanation.categories.map { ["category": $0.category.rawValue, "last7Days": $0.last7Days, "last28Days": $0.last28Days, "last365Days": $0.last365Days] },
                ]
                if let projection {
                    let c = projection.unproject(z.zone.centroid)
                    zone["centre"] = ["lat": (c.latitude * 1e6).rounded() / 1e6, "lon": (c.longitude * 1e6).rounded() / 1e6]
                }
                return zone
            }
            if caller.may(.viewAllZones) {
                out["retired"] = view.cycle.retired.map { ["cells": $0.zone.cells, "reason": $0.reason] }
            }
            try env.audit(caller, .viewZones, id, "api: \(visible.count) zones")
        } else {
            out["zones"] = NSNull()
            out["zonesHidden"] = "the \(caller.role.rawValue) role may not see zone locations"
        }
        return json(out)
    }

    router.get("/api/incidents") { request, _ -> Response in
        let caller = try await env.apiCaller(request)
        guard caller.may(.runForecasts) || caller.may(.viewAllZones) else {
            throw WebError(.forbidden, "the \(caller.role.rawValue) role may not read incidents (runForecasts or viewAllZones)", api: true)
        }
        let query = Form(request.uri.query ?? "")
        let tz = try env.timeZone()
        let to = try APIQuery.instant(query, "to", timeZone: tz) ?? env.clock()
        let from = try APIQuery.instant(query, "from", timeZone: tz) ?? to.addingTimeInterval(-28 * 86_400)
        guard from < to else { throw APIQuery.invalid("from", query["from"] ?? iso(from), "must be before to (\(iso(to)))") }
        var categories: Set<HarmCategory>?
        if let raw = APIQuery.optional(query, "category") {
            var set = Set<HarmCategory>()
            for name in raw.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard let c = HarmCategory(rawValue: name) else {
                    throw APIQuery.invalid("category", name, "choose one of \(HarmCategory.allCases.map(\.rawValue).joined(separator: ", ")) (comma-separated for several)")
                }
                set.insert(c)
            }
            categories = set
        }
        let limit = try APIQuery.integer(query, "limit", range: 1...10_000, default: 1_000)
        let rows = try env.store.incidents(IncidentQuery(occurredFrom: from, occurredBefore: to, categories: categories, includePoliceInitiated: true,
                                                         limit: limit + 1, includeRawRow: false))
        let page = rows.prefix(limit)
        let list: [[String: Any]] = page.map { i in
            ["id": i.id.description, "category": i.category.rawValue, "occurredAt": iso(i.occurredAt), "precision": i.occurredPrecision.rawValue,
             "lat": (i.location.latitude * 1e6).rounded() / 1e6, "lon": (i.location.longitude * 1e6).rounded() / 1e6,
             "address": i.address ?? NSNull(), "policeInitiated": i.policeInitiated, "firearm": i.firearm, "fatal": i.fatal]
        }
        var out: [String: Any] = ["from": iso(from), "to": iso(to), "limit": limit, "count": list.count, "truncated": rows.count > limit, "incidents": list]
        if rows.count > limit, let last = page.last { out["next"] = "/api/incidents?from=\(iso(last.occurredAt))&to=\(iso(to))&limit=\(limit)" + (query["category"].map { "&category=\($0)" } ?? "") }
        try env.audit(caller, .apiAccess, "incidents", "\(list.count) incidents \(iso(from)) to \(iso(to))\(categories.map { " (\($0.map(\.rawValue).sorted().joined(separator: ",")))" } ?? "")")
        return json(out)
    }

    router.get("/api/surface") { request, _ -> Response in
        let caller = try await env.apiCaller(request, requiring: .viewAllZones)
        let query = Form(request.uri.query ?? "")
        guard let id = APIQuery.optional(query, "cycle") else { throw WebError(.badRequest, "cycle is required (a cycle id, see /api/cycles)", api: true) }
        let top = try APIQuery.integer(query, "top", range: 1...5_000, default: 100)
        guard let record = try env.store.cycle(id: id) else { throw WebError(.notFound, "no cycle \(id)", api: true) }
        let cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document)
        let surface = try await env.surfaces.surface(of: cycle, store: env.store)
        guard let jurisdiction = try env.store.jurisdiction() else { throw WebError(.notFound, "no jurisdiction: import data first", api: true) }
        let projection = jurisdiction.projection.prepared()
        let total = surface.total
        let cells: [[String: Any]] = surface.topCells(top).enumerated().map { rank, c in
            let g = projection.unproject(surface.grid.center(of: c))
            return ["rank": rank + 1, "cell": c, "value": surface.values[c], "share": total > 0 ? surface.values[c] / total : 0,
                    "lat": (g.latitude * 1e6).rounded() / 1e6, "lon": (g.longitude * 1e6).rounded() / 1e6]
        }
        try env.audit(caller, .apiAccess, "surface \(id)", "top \(cells.count) cells")
        return json(["cycle": id, "model": cycle.provenance.model, "cellSizeMeters": surface.grid.cellSizeMeters,
                     "windowStart": iso(surface.window.start), "windowEnd": iso(surface.window.end), "total": total,
                     "classification": "CONFIDENTIAL", "cells": cells])
    }

    router.get("/api/patrols") { request, _ -> Response in
        let caller = try await env.apiCaller(request)
        guard caller.may(.logPatrols) || caller.may(.viewAllZones) else {
            throw WebError(.forbidden, "the \(caller.role.rawValue) role may not read patrol logs (logPatrols or viewAllZones)", api: true)
        }
        let query = Form(request.uri.query ?? "")
        let cycleID: String
        if let id = APIQuery.optional(query, "cycle") {
            guard try env.store.cycle(id: id) != nil else { throw WebError(.notFound, "no cycle \(id)", api: true) }
            cycleID = id
        } else if let active = try env.activeCycle() {
            cycleID = active.cycle.id
        } else {
            return json(["cycle": NSNull(), "patrols": [Any]()])
        }
        var visits = try env.patrolVisits(cycleID: cycleID)
        if !caller.may(.viewAllZones) { visits = visits.filter { $0.officer == caller.username } }
        return json(["cycle": cycleID, "patrols": visits.map(APIPatrols.json)])
    }

    router.post("/api/patrols") { request, _ -> Response in
        let caller = try await env.apiCaller(request, requiring: .logPatrols)
        // Browser sessions prove the request came from ZoneCast's own pages with the session's CSRF token.
        do { try env.checkCSRF(Form("csrf=" + (request.headers[HTTPField.Name("X-CSRF-Token")!] ?? "")), caller) } catch var e as WebError {
            e.api = true
            e.message = "send the session's CSRF token in the X-CSRF-Token header (or use a bearer token)"
            throw e
        }
        if let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/json") {
            throw APIError(.unsupportedMediaType, "send the patrol as JSON (Content-Type: application/json), not \(type)")
        }
        let object = try await APIBody.object(request, maxBytes: APIPatrols.maxBodyBytes, multiline: ["notes"])
        let visit = try APIPatrols.visit(from: object, caller: caller, env: env)
        try env.savePatrolVisit(visit, audit: env.draft(caller, .logPatrol, "\(visit.cycleID)/\(visit.zoneID)",
                                                        "api: \(visit.id), \(Int(visit.minutes.rounded())) min, \(visit.activities.relationshipActions) contacts/checks, \(visit.activities.enforcementActions) enforcement"))
        var response = json(APIPatrols.json(visit), status: .created)
        response.headers[.location] = "/api/patrols?cycle=\(visit.cycleID)"
        return response
    }
}

func iso(_ d: Date) -> String { DateTexts.shared.iso8601(d) }

/// An API failure with a status `WebError` has no kind for (413, 415); rendered as JSON like every API error.
struct APIError: Error, HTTPResponseError, CustomStringConvertible {
    var status: HTTPResponse.Status
    var message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    var description: String { message }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        json(["error": message], status: status)
    }
}

/// Query-string parameters for API routes, validated with errors that name the parameter and the value.
enum APIQuery {
    static func invalid(_ parameter: String, _ value: String, _ why: String) -> WebError {
        WebError(.badRequest, "\(parameter) \"\(value.prefix(80))\": \(why)", api: true)
    }

    static func optional(_ query: Form, _ name: String) -> String? {
        guard let v = query[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
        return v
    }

    static func integer(_ query: Form, _ name: String, range: ClosedRange<Int>, default value: Int) throws -> Int {
        guard let raw = optional(query, name) else { return value }
        guard let n = Int(raw) else { throw invalid(name, raw, "not a whole number") }
        guard range.contains(n) else { throw invalid(name, raw, "must be between \(range.lowerBound) and \(range.upperBound)") }
        return n
    }

    /// An ISO 8601 instant ("2024-06-02T14:30:00Z", with an offset or fractional seconds), or a date
    /// ("2024-06-02", midnight in the jurisdiction's time zone).
    static func instant(_ query: Form, _ name: String, timeZone: TimeZone) throws -> Date? {
        guard let raw = optional(query, name) else { return nil }
        guard let d = parseInstant(raw, timeZone: timeZone) else {
            throw invalid(name, raw, "not a calendar date like 2024-06-02 or a date-time like 2024-06-02T14:30:00Z (years \(StrictDates.years.lowerBound)-\(StrictDates.years.upperBound))")
        }
        return d
    }

    /// Strict (`StrictDates`): 2026-02-30, hour 24 or year 20240 are refused, never rolled over.
    static func parseInstant(_ raw: String, timeZone: TimeZone) -> Date? {
        StrictDates.instant(raw, timeZone: timeZone)
    }
}

/// Patrol visits through the API: the same rules as the officer's form.
enum APIPatrols {
    static let maxBodyBytes = 64 * 1024
    static let maxDuration: TimeInterval = 12 * 3_600
    static let countRange = 0...500
    static let activityFields = ["communityContacts", "businessChecks", "fieldInterviews", "minorInfractionCitations", "otherCitations", "arrests"]

    static func json(_ v: PatrolVisit) -> [String: Any] {
        let a = v.activities
        return ["id": v.id, "officer": v.officer, "unit": v.unit?.name ?? NSNull(), "cycle": v.cycleID, "zone": v.zoneID,
                "startedAt": iso(v.startedAt), "endedAt": iso(v.endedAt), "minutes": (v.minutes * 10).rounded() / 10,
                "withinRecommendedMinutes": PatrolVisit.recommendedMinutes.contains(v.minutes),
                "activities": ["communityContacts": a.communityContacts, "businessChecks": a.businessChecks, "fieldInterviews": a.fieldInterviews,
                               "minorInfractionCitations": a.minorInfractionCitations, "otherCitations": a.otherCitations, "arrests": a.arrests],
                "enforcementActions": a.enforcementActions, "relationshipActions": a.relationshipActions,
                "notes": v.notes, "loggedAt": iso(v.loggedAt)]
    }

    static func string(_ object: [String: Any], _ name: String, required: Bool, maxLength: Int = 200) throws -> String? {
        guard let raw = object[name], !(raw is NSNull) else {
            if required { throw WebError(.badRequest, "\(name) is required", api: true) }
            return nil
        }
        guard let s = raw as? String else { throw APIQuery.invalid(name, "\(raw)", "must be a string") }
        let v = s.trimmingCharacters(in: .whitespacesAndNewlines)
        if required && v.isEmpty { throw WebError(.badRequest, "\(name) is required", api: true) }
        if v.count > maxLength { throw APIQuery.invalid(name, v, "longer than \(maxLength) characters") }
        if v.unicodeScalars.contains(where: { $0.value < 32 && $0 != "\n" && $0 != "\r" && $0 != "\t" }) { throw APIQuery.invalid(name, v, "contains control characters") }
        return v.isEmpty ? nil : v
    }

    static func count(_ object: [String: Any], _ name: String) throws -> Int {
        guard let raw = object[name], !(raw is NSNull) else { return 0 }
        // JSON true/false also bridge to NSNumber (a Boolean subclass): refuse them rather than count true as 1.
        guard let n = raw as? NSNumber, !String(describing: type(of: raw)).contains("Bool") else {
            throw APIQuery.invalid("activities.\(name)", "\(raw)", "must be a whole number")
        }
        // Range-checked as a Double before any conversion: Int(1e19) traps (and so would take the server down).
        let d = n.doubleValue
        guard d.isFinite, d == d.rounded() else { throw APIQuery.invalid("activities.\(name)", "\(raw)", "must be a whole number") }
        guard d >= Double(countRange.lowerBound), d <= Double(countRange.upperBound) else {
            throw APIQuery.invalid("activities.\(name)", "\(raw)", "must be between \(countRange.lowerBound) and \(countRange.upperBound)")
        }
        return Int(d)
    }

    /// Validates a JSON patrol and builds the visit with the officer form's rules (Routes+Officer.swift): an approved
    /// zone the caller's units patrol in a cycle open for logging, the end after the start, not in the future, at most
    /// 12 hours, within the cycle (with its grace period), no overlap with the caller's other visits, counts 0-500.
    static func visit(from object: [String: Any], caller: Viewer, env: WebEnvironment) throws -> PatrolVisit {
        let known = Set(["cycle", "zone", "startedAt", "endedAt", "unit", "activities", "notes"])
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw APIQuery.invalid(unknown, "\(object[unknown] ?? "")", "unknown field (expected \(known.sorted().joined(separator: ", ")))")
        }
        let now = env.clock()
        // The cycles the officer's form offers: approved, in force now or ended within the grace period.
        let open = try env.patrolCycles()
        let view: CycleView
        if let id = try string(object, "cycle", required: false) {
            guard let v = open.first(where: { $0.cycle.id == id }) else {
                throw APIQuery.invalid("cycle", id, "not an approved cycle in force (or ended within \(Int(WebEnvironment.patrolGrace / 3_600)) h) to log visits for")
            }
            view = v
        } else {
            guard let v = open.first(where: { $0.cycle.startsAt <= now && now < $0.cycle.endsAt }) ?? open.first else {
                throw WebError(.badRequest, "cycle is required: no cycle is in force now", api: true)
            }
            view = v
        }
        let zoneID = try string(object, "zone", required: true)!
        let visible = view.visibleZones(for: caller.account)
        // "outside": a comparison patrol outside every zone, open to officers deployed in this cycle.
        guard view.isApproved, let zone = zoneID == PatrolVisit.outsideZones ? (visible.isEmpty ? nil : PatrolVisit.outsideZones) : visible.first(where: { $0.id == zoneID })?.id else {
            throw APIQuery.invalid("zone", zoneID, "not an approved zone of cycle \(view.cycle.id) that you patrol (or \"\(PatrolVisit.outsideZones)\" for a comparison patrol)")
        }
        let tz = try env.timeZone()
        func instant(_ name: String) throws -> Date {
            let raw = try string(object, name, required: true)!
            guard let d = StrictDates.instant(raw, timeZone: tz, allowDateOnly: false) else {
                throw APIQuery.invalid(name, raw, "not a calendar date and time with a time zone, like 2024-06-02T14:30:00Z")
            }
            return d
        }
        let start = try instant("startedAt"), end = try instant("endedAt")
        guard end > start else { throw APIQuery.invalid("endedAt", iso(end), "must be after startedAt (\(iso(start)))") }
        guard end.timeIntervalSince(start) <= maxDuration else { throw APIQuery.invalid("endedAt", iso(end), "a visit lasts at most 12 hours (startedAt \(iso(start)))") }
        guard end <= now.addingTimeInterval(300) else { throw APIQuery.invalid("endedAt", iso(end), "is in the future (now \(iso(now)))") }
        guard start >= view.cycle.startsAt.addingTimeInterval(-WebEnvironment.patrolGrace) else {
            throw APIQuery.invalid("startedAt", iso(start), "before cycle \(view.cycle.id) began (\(iso(view.cycle.startsAt)))")
        }
        guard end <= view.cycle.endsAt.addingTimeInterval(WebEnvironment.patrolGrace) else {
            throw APIQuery.invalid("endedAt", iso(end), "after cycle \(view.cycle.id) ended (\(iso(view.cycle.endsAt)))")
        }
        var unit: PatrolUnit?
        let deployed = Set(view.deployments[zone]?.units ?? [])
        if let name = try string(object, "unit", required: false) {
            let u = PatrolUnit(name)
            guard caller.account.units.contains(u) || caller.may(.viewAllZones) else {
                throw APIQuery.invalid("unit", name, "not one of your units (\(caller.account.units.sorted().map(\.name).joined(separator: ", ")))")
            }
            unit = u
        } else {
            unit = caller.account.units.sorted().first { deployed.contains($0) } ?? caller.account.units.sorted().first
        }
        var activities = PatrolActivities()
        if let raw = object["activities"], !(raw is NSNull) {
            guard let a = raw as? [String: Any] else { throw APIQuery.invalid("activities", "\(raw)", "must be an object with \(activityFields.joined(separator: ", "))") }
            if let unknown = a.keys.sorted().first(where: { !activityFields.contains($0) }) {
                throw APIQuery.invalid("activities.\(unknown)", "\(a[unknown] ?? "")", "unknown activity (expected \(activityFields.joined(separator: ", ")))")
            }
            activities = PatrolActivities(communityContacts: try count(a, "communityContacts"), businessChecks: try count(a, "businessChecks"),
                                          fieldInterviews: try count(a, "fieldInterviews"), minorInfractionCitations: try count(a, "minorInfractionCitations"),
                                          otherCitations: try count(a, "otherCitations"), arrests: try count(a, "arrests"))
        }
        let notes = try string(object, "notes", required: false, maxLength: 2_000) ?? ""
        // Last, once the visit itself is valid: it must not overlap another of the caller's visits.
        let mine = try env.patrolVisits(cycleID: view.cycle.id).filter { $0.officer == caller.username }
        if let clash = mine.first(where: { $0.startedAt < end && start < $0.endedAt }) {
            throw APIQuery.invalid("startedAt", iso(start), "overlaps your visit \(clash.id) to \(clash.zoneID) from \(iso(clash.startedAt)) to \(iso(clash.endedAt))")
        }
        return PatrolVisit(id: env.newID("P"), officer: caller.username, unit: unit, cycleID: view.cycle.id, zoneID: zone, startedAt: start, endedAt: end,
                           activities: activities, notes: notes, loggedAt: now)
    }
}
