import Foundation
import ZoneCastAccess
import ZoneCastCore

/// The OpenAPI 3.0 description of the JSON API (served at /api/openapi.json; it holds no data). `operations` is
/// the list of routes; a test checks it against the routes the router actually registers under /api, both ways.
enum APIDocument {
    struct Parameter: Sendable {
        var name: String
        var location: String = "query"
        var required: Bool = false
        var type: String = "string"
        var format: String? = nil
        var description: String
        var minimum: Int? = nil
        var maximum: Int? = nil
        var defaultValue: Int? = nil
    }

    struct Operation: Sendable {
        var method: String
        var path: String
        var operationID: String
        var summary: String
        var description: String
        /// nil: public (no credentials needed).
        var permission: String?
        var parameters: [Parameter] = []
        /// A schema name in components.schemas for a JSON request body.
        var requestSchema: String? = nil
        /// Status code and (schema name or nil) of the success response.
        var success: (status: String, schema: String, contentType: String)
        var errors: [String]
        var audited: String? = nil
    }

    static let operations: [Operation] = [
        Operation(method: "get", path: "/api/openapi.json", operationID: "openapi", summary: "This document",
                  description: "The OpenAPI 3.0 description of the API. Public: it contains no data.", permission: nil,
                  success: ("200", "Object", "application/json"), errors: []),
        Operation(method: "get", path: "/api/zones", operationID: "listZones", summary: "Zones in force and the pending proposal",
                  description: "The active cycle's zones the caller may see (officers: approved zones assigned to one of their units) and, for roles that see every zone, the pending proposal's zones. CONFIDENTIAL.",
                  permission: "viewZoneLocations", success: ("200", "ZonesResponse", "application/json"), errors: ["401", "403"], audited: "view-zones"),
        Operation(method: "get", path: "/api/zones.geojson", operationID: "exportZonesGeoJSON", summary: "Visible zones as GeoJSON",
                  description: "A GeoJSON FeatureCollection (WGS84) with one MultiPolygon feature per visible zone (its grid cells as squares); properties id, cycle, status, cycleStatus, classification CONFIDENTIAL. Without `cycle`: the active cycle and, for roles that see every zone, the pending proposal.",
                  permission: "exportData",
                  parameters: [Parameter(name: "cycle", description: "A cycle id (default: the active cycle and the pending proposal).")],
                  success: ("200", "FeatureCollection", "application/geo+json"), errors: ["401", "403", "404"], audited: "export (subject geojson)"),
        Operation(method: "get", path: "/api/cycles", operationID: "listCycles", summary: "Cycles and their status now",
                  description: "Every recorded cycle, newest start first: id, status as of now, start, end, number of zones. No locations: any signed-in role.",
                  permission: "any signed-in account", success: ("200", "CycleList", "application/json"), errors: ["401"]),
        Operation(method: "get", path: "/api/cycles/{id}", operationID: "getCycle", summary: "One cycle with its zones",
                  description: "The cycle's status and provenance summary; with viewZoneLocations also its zones (cells, explanation, centre), officers only their units' approved zones. Roles without zone access get `zones: null`.",
                  permission: "any signed-in account (zones: viewZoneLocations)",
                  parameters: [Parameter(name: "id", location: "path", required: true, description: "Cycle id, e.g. C-2024-06-01T050000Z.")],
                  success: ("200", "Cycle", "application/json"), errors: ["401", "404"], audited: "view-zones (when zones are returned)"),
        Operation(method: "get", path: "/api/incidents", operationID: "listIncidents", summary: "Incidents in a time range",
                  description: "Incidents ordered by time, police-initiated ones included and flagged. At most `limit`; `truncated` and `next` say when there are more.",
                  permission: "runForecasts or viewAllZones",
                  parameters: [
                      Parameter(name: "from", format: "date-time", description: "Start (inclusive): ISO 8601 date-time, or a date (midnight, jurisdiction time). Default: 28 days before `to`."),
                      Parameter(name: "to", format: "date-time", description: "End (exclusive). Default: now."),
                      Parameter(name: "category", description: "Harm category, or several comma-separated: \(HarmCategory.allCases.map(\.rawValue).joined(separator: ", "))."),
                      Parameter(name: "limit", type: "integer", description: "Most incidents returned.", minimum: 1, maximum: 10_000, defaultValue: 1_000),
                  ],
                  success: ("200", "IncidentList", "application/json"), errors: ["400", "401", "403"], audited: "api-access"),
        Operation(method: "get", path: "/api/surface", operationID: "getSurface", summary: "A cycle's risk surface, highest cells",
                  description: "The forecast behind a cycle: its top N cells by forecast harm with value, share of the total and cell centre.",
                  permission: "viewAllZones",
                  parameters: [
                      Parameter(name: "cycle", required: true, description: "Cycle id."),
                      Parameter(name: "top", type: "integer", description: "Number of cells.", minimum: 1, maximum: 5_000, defaultValue: 100),
                  ],
                  success: ("200", "Surface", "application/json"), errors: ["400", "401", "403", "404"], audited: "api-access"),
        Operation(method: "get", path: "/api/patrols", operationID: "listPatrols", summary: "Patrol visits of a cycle",
                  description: "Officers get their own visits; roles that see every zone get all. Default cycle: the one in force.",
                  permission: "logPatrols or viewAllZones",
                  parameters: [Parameter(name: "cycle", description: "Cycle id (default: the cycle in force).")],
                  success: ("200", "PatrolList", "application/json"), errors: ["401", "403", "404"]),
        Operation(method: "post", path: "/api/patrols", operationID: "logPatrol", summary: "Log a patrol visit",
                  description: "Same rules as the officer's form: the zone must be an approved zone the caller patrols, the end after the start and not in the future, at most 12 hours, overlapping the cycle; counts 0-500. Body at most 64 KiB. Session callers send the page's CSRF token in `X-CSRF-Token`.",
                  permission: "logPatrols", requestSchema: "PatrolInput",
                  success: ("201", "Patrol", "application/json"), errors: ["400", "401", "403", "413", "415"], audited: "log-patrol"),
    ]

    static func document() -> [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for op in operations {
            var o: [String: Any] = [
                "operationId": op.operationID, "summary": op.summary,
                "description": op.description + "\n\nPermission: \(op.permission ?? "none (public)")." + (op.audited.map { " Audited: \($0)." } ?? ""),
                "tags": [op.path.hasPrefix("/api/zones") || op.path.hasPrefix("/api/cycles") || op.path == "/api/surface" ? "zones" : op.path == "/api/openapi.json" ? "meta" : "operations"],
            ]
            if op.permission == nil { o["security"] = [[String: Any]]() }
            if !op.parameters.isEmpty {
                o["parameters"] = op.parameters.map { p -> [String: Any] in
                    var schema: [String: Any] = ["type": p.type]
                    if let f = p.format { schema["format"] = f }
                    if let m = p.minimum { schema["minimum"] = m }
                    if let m = p.maximum { schema["maximum"] = m }
                    if let d = p.defaultValue { schema["default"] = d }
                    return ["name": p.name, "in": p.location, "required": p.required, "description": p.description, "schema": schema]
                }
            }
            if let body = op.requestSchema {
                o["requestBody"] = ["required": true, "content": ["application/json": ["schema": ref(body)]]]
            }
            var responses: [String: Any] = [op.success.status: ["description": "Success", "content": [op.success.contentType: ["schema": ref(op.success.schema)]]]]
            let errorText = ["400": "A parameter or field is invalid (the message names it and the value)", "401": "No valid session or bearer token",
                             "403": "The caller's role lacks the permission", "404": "No such cycle", "413": "Body larger than 64 KiB",
                             "415": "Body is not JSON"]
            for e in op.errors { responses[e] = ["description": errorText[e] ?? "Error", "content": ["application/json": ["schema": ref("Error")]]] }
            o["responses"] = responses
            paths[op.path, default: [:]][op.method] = o
        }
        return [
            "openapi": "3.0.3",
            "info": [
                "title": "ZoneCast API", "version": "1.0.0",
                "description": "The same data as ZoneCast's pages, for integrations. Zone locations are CONFIDENTIAL; every read of them is recorded in the audit log with the account and, for bearer tokens, the token id. Tokens are created under /account/tokens and act with their account's role.",
            ],
            "servers": [["url": "/"]],
            "security": [["bearerToken": [String]()], ["sessionCookie": [String]()]],
            "paths": paths,
            "components": [
                "securitySchemes": [
                    "bearerToken": ["type": "http", "scheme": "bearer", "bearerFormat": "zc_<id>_<secret>",
                                    "description": "An API token from /account/tokens: `Authorization: Bearer zc_<id>_<secret>`."],
                    "sessionCookie": ["type": "apiKey", "in": "cookie", "name": "zc_session",
                                      "description": "The browser session after signing in at /login (POST requests also need X-CSRF-Token)."],
                ],
                "schemas": schemas,
            ],
        ]
    }

    static func data() throws -> Data {
        try JSONSerialization.data(withJSONObject: document(), options: [.sortedKeys, .withoutEscapingSlashes])
    }

    private static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }

    private static var string: [String: Any] { ["type": "string"] }
    private static var dateTime: [String: Any] { ["type": "string", "format": "date-time"] }
    private static var number: [String: Any] { ["type": "number"] }
    private static var integer: [String: Any] { ["type": "integer"] }
    private static var boolean: [String: Any] { ["type": "boolean"] }
    private static func array(_ items: [String: Any]) -> [String: Any] { ["type": "array", "items": items] }
    private static func object(_ properties: [String: Any], required: [String] = []) -> [String: Any] {
        var o: [String: Any] = ["type": "object", "properties": properties]
        if !required.isEmpty { o["required"] = required }
        return o
    }

    private static var schemas: [String: Any] {
        let activities = object(["communityContacts": integer, "businessChecks": integer, "fieldInterviews": integer,
                                 "minorInfractionCitations": integer, "otherCitations": integer, "arrests": integer])
        let zoneSummary = object(["id": string, "status": ["type": "string", "enum": ["new", "kept", "retired"]], "cells": array(integer), "areaKm2": number,
                                  "forecastHarm": number, "explanation": string, "units": array(string)])
        let categoryCounts = object(["category": string, "last7Days": integer, "last28Days": integer, "last365Days": integer])
        let cycleSummary = object(["id": string, "status": ["type": "string", "enum": ["proposed", "approved", "active", "expired", "superseded"]],
                                   "startsAt": dateTime, "endsAt": dateTime, "createdAt": dateTime, "zoneCount": integer, "proposedZoneCount": integer, "model": string])
        var input = object(["cycle": ["type": "string", "description": "Default: the cycle in force."], "zone": string, "startedAt": dateTime, "endedAt": dateTime,
                            "unit": ["type": "string", "description": "Default: the caller's unit deployed to the zone."],
                            "activities": activities, "notes": ["type": "string", "maxLength": 2_000]],
                           required: ["zone", "startedAt", "endedAt"])
        input["additionalProperties"] = false
        let patrol = object(["id": string, "officer": string, "unit": ["type": "string", "nullable": true], "cycle": string, "zone": string,
                             "startedAt": dateTime, "endedAt": dateTime, "minutes": number, "withinRecommendedMinutes": boolean, "activities": activities,
                             "enforcementActions": integer, "relationshipActions": integer, "notes": string, "loggedAt": dateTime])
        return [
            "Object": ["type": "object"],
            "Error": object(["error": string], required: ["error"]),
            "ZonesResponse": object([
                "classification": string,
                "active": ["type": "object", "nullable": true, "properties": ["cycle": string, "status": string, "startsAt": dateTime, "endsAt": dateTime, "zones": array(zoneSummary)]],
                "proposed": ["type": "object", "nullable": true, "properties": ["cycle": string, "startsAt": dateTime, "endsAt": dateTime, "zones": array(zoneSummary)]],
            ]),
            "FeatureCollection": object([
                "type": ["type": "string", "enum": ["FeatureCollection"]],
                "properties": object(["classification": string, "exportedBy": string, "exportedAt": dateTime]),
                "features": array(object([
                    "type": ["type": "string", "enum": ["Feature"]], "id": string,
                    "properties": object(["id": string, "cycle": string, "status": string, "cycleStatus": string, "classification": string, "areaKm2": number,
                                          "forecastHarm": number, "units": array(string), "startsAt": dateTime, "endsAt": dateTime, "synthetic": boolean]),
                    "geometry": object(["type": ["type": "string", "enum": ["MultiPolygon"]], "coordinates": array(array(array(array(number))))]),
                ])),
            ]),
            "CycleList": object(["now": dateTime, "cycles": array(cycleSummary)]),
            "Cycle": object([
                "id": string, "status": string, "startsAt": dateTime, "endsAt": dateTime, "createdAt": dateTime, "zoneCount": integer,
                "approvalReason": ["type": "string", "nullable": true, "description": "only for roles that may see zone locations"], "model": string, "cellSizeMeters": number, "incidentCount": integer, "incidentDigest": string,
                "classification": string, "zonesHidden": string,
                "zones": ["type": "array", "nullable": true, "items": object([
                    "id": string, "status": string, "reason": string, "cells": array(integer), "areaKm2": number, "forecastHarm": number, "shareOfCity": number,
                    "explanation": string, "places": array(string), "units": array(string), "categories": array(categoryCounts),
                    "centre": object(["lat": number, "lon": number]),
                ])],
                "retired": array(object(["cells": array(integer), "reason": string])),
            ]),
            "IncidentList": object([
                "from": dateTime, "to": dateTime, "limit": integer, "count": integer, "truncated": boolean, "next": string,
                "incidents": array(object(["id": string, "category": string, "occurredAt": dateTime, "precision": string, "lat": number, "lon": number,
                                           "address": ["type": "string", "nullable": true], "policeInitiated": boolean, "firearm": boolean, "fatal": boolean])),
            ]),
            "Surface": object([
                "cycle": string, "model": string, "cellSizeMeters": number, "windowStart": dateTime, "windowEnd": dateTime, "total": number, "classification": string,
                "cells": array(object(["rank": integer, "cell": integer, "value": number, "share": number, "lat": number, "lon": number])),
            ]),
            "PatrolList": object(["cycle": ["type": "string", "nullable": true], "patrols": array(ref("Patrol"))]),
            "Patrol": patrol,
            "PatrolInput": input,
        ]
    }
}
