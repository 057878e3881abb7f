import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastOversight
import ZoneCastPlanning
import ZoneCastHTML
import ZoneCastServices
import ZoneCastStore
import ZoneCastZoning
import ZoneCastCore

/// The oversight page (admins, analysts, commanders and auditors): the feedback-loop guard (each proposal's
/// sensitivity to police-initiated records, and the runaway-loop simulation that explains why), the equity audit
/// against uploaded area boundaries, and the optional randomised evaluation. Zone ids and figures, never zone
/// locations, so auditors see all of it; roles that may see zone locations also get the equity areas' choropleth
/// (a ratio map shows where zones were). Every view is audited.
/// The one route whose body may be larger than a form (`RequestAdmissionMiddleware` lets it through unread).
let equityAreasUploadPath = "/oversight/areas"

func addOversightRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    router.pages(requiring: .viewOversight, env: env).get("/oversight") { request, context -> Response in
        try await oversightPage(request, viewer: try context.viewer, env: env)
    }

    // Area boundaries are GeoJSON of up to EquityAreaSet.maxBytes: a file (multipart/form-data, `geojson_file`) or
    // text pasted into the form (`geojson`, percent-encoded: up to 3 bytes each).
    let limit = EquityAreaSet.maxBytes
    let areasForm = FormLimit(bytes: limit * 3 + 4_096,
                              message: "the areas form is larger than the limit of \(limit) bytes of GeoJSON (\(limit / 1024 / 1024) MiB)",
                              fileBytes: limit)
    router.pages(requiring: .importData, orAnyOf: [.decideZones], env: env, formLimit: areasForm)
        .post(RouterPath(equityAreasUploadPath)) { _, context -> Response in
        let viewer = try context.viewer
        let form = try context.form  // control characters, invalid UTF-8: 400 naming the field
        let label = try form.text("label", label: "what the areas are", maxLength: 200)
        let pasted = form["geojson"] ?? ""
        var text = pasted, source = "pasted"
        if let file = form.file {
            guard pasted.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw WebError.invalid("geojson_file", file.filename, "send either a file or pasted GeoJSON, not both")
            }
            text = try uploadedGeoJSON(file)
            source = "file \(file.filename)"
        }
        let set: EquityAreaSet
        do {
            (set, _) = try EquityAreaSet.make(id: env.newID("areas"), at: env.clock(), by: viewer.username, label: label, geoJSON: text)
        } catch {
            throw WebError(.badRequest, "The areas were not saved. \(error)")
        }
        let detail = "\(label): \(set.areaNames.count) areas (\(source))"
        try await env.store.apply([.save(set), .audit(env.draft(viewer, .importData, "equity areas \(set.id)", detail))])
        return redirect("/oversight#equity")
    }

    router.pages(requiring: .proposeZones, orAnyOf: [.decideZones], env: env).post("/oversight/randomise") { _, context -> Response in
        let viewer = try context.viewer
        let form = try context.form
        let cycleID = try form.text("cycle", maxLength: 200)
        guard let record = try await env.store.cycle(id: cycleID) else { throw WebError.invalid("cycle", cycleID, "no such cycle") }
        guard record.status(at: env.clock()) == .proposed else {
            throw WebError.invalid("cycle", cycleID, "already decided: only a proposal's zones can be randomised")
        }
        if try await env.store.document(RandomisedAssignmentRecord.self, id: cycleID) != nil {
            throw WebError(.conflict, "Proposal \(cycleID) already has a recorded random assignment; it cannot be drawn again.")
        }
        let cycle = try env.decodedCycles.cycle(record)
        let zones = cycle.zones.filter { $0.status != .retired }
        let treated = try form.integer("treated", label: "zones to patrol", range: 1...max(1, zones.count - 1))
        let rawSeed = (form["seed"] ?? "").trimmingCharacters(in: .whitespaces)
        var seed = UInt64.random(in: 0...UInt64(Int64.max))
        if !rawSeed.isEmpty {
            guard let s = UInt64(rawSeed) else { throw WebError.invalid("seed", rawSeed, "not a whole number from 0") }
            seed = s
        }
        let assignment: RandomisedAssignment
        do {
            assignment = try RandomisedAssignment.assign(cycleID: cycleID, candidates: zones.map(\.id), treatedCount: treated, seed: seed)
        } catch {
            throw WebError(.badRequest, "\(error)")
        }
        let doc = RandomisedAssignmentRecord(recordedAt: env.clock(), recordedBy: viewer.username, assignment: assignment,
                                             cells: Dictionary(uniqueKeysWithValues: zones.map { ($0.id, $0.zone.cells) }))
        let detail = "randomised evaluation: seed \(seed), treated \(assignment.treated.joined(separator: ",")), "
            + "untreated \(assignment.control.joined(separator: ","))"
        try await env.store.apply([.save(doc), .audit(env.draft(viewer, .adjustProposal, cycleID, detail))])
        return redirect("/oversight#randomised")
    }
}

/// The text of an uploaded boundary file: a GeoJSON or JSON file (by its declared type, or by its name when the browser
/// declares none or a generic one), UTF-8 (a byte-order mark is dropped) without control characters but blanks.
func uploadedGeoJSON(_ file: UploadedFile) throws -> String {
    let json: Set<String> = ["application/geo+json", "application/vnd.geo+json", "application/json", "text/json"]
    let generic: Set<String> = ["", "application/octet-stream", "text/plain"]
    let name = file.filename.lowercased()
    guard json.contains(file.contentType) || generic.contains(file.contentType) && (name.hasSuffix(".geojson") || name.hasSuffix(".json")) else {
        throw WebError.invalid(file.field, "\(file.filename) (\(file.contentType.isEmpty ? "no type" : file.contentType))",
                               "not a GeoJSON file: send a .geojson or .json file (application/geo+json or application/json)")
    }
    let bytes = file.bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(file.bytes.dropFirst(3)) : file.bytes
    guard let text = InputText.utf8(bytes) else { throw WebError.invalid(file.field, file.filename, "not valid UTF-8 text") }
    if let problem = InputText.problem(text, multiline: true) { throw WebError.invalid(file.field, file.filename, problem) }
    return text
}

/// GET /oversight: loads each section's data, audits the view and renders `OversightView`.
private func oversightPage(_ request: Request, viewer: Viewer, env: WebEnvironment) async throws -> Response {
    let query = Form(request.uri.query ?? "")
    let now = try await env.dataTime().now  // an exercise reports as of the data's end, not today
    let tz = try await env.timeZone()
    let jurisdiction = try await env.store.jurisdiction()

    // Sensitivity: the chosen proposal (default the newest), computed once per cycle and cached.
    let recent = Array(try await env.store.cycles().sorted { $0.createdAt != $1.createdAt ? $0.createdAt > $1.createdAt : $0.id > $1.id }.prefix(12))
    let wanted = try query.text("cycle", required: false, maxLength: 200)
    var selected = recent.first
    if !wanted.isEmpty {
        let found: CycleRecord? = if let r = recent.first(where: { $0.id == wanted }) { r } else { try await env.store.cycle(id: wanted) }
        guard let r = found else {
            throw WebError.invalid("cycle", wanted, "no such cycle")
        }
        selected = r
    }
    let (sensitivity, sensitivityError) = try await policeInitiatedSensitivity(selected, env: env)

    // Equity: against the newest uploaded area set, parsed once per content (see EquityAreaCache), not on every view.
    let newestAreas = try await env.equityAreas.newest(in: env.store)
    let areaSet = newestAreas?.set
    var report: OversightData.EquityReport?
    var equityError: String?
    if let newestAreas {
        do {
            report = try await OversightData.equity(store: env.store, areas: try newestAreas.areas.get(), areaSetLabel: newestAreas.set.label, now: now)
        } catch {
            equityError = "The equity audit could not be computed: \(error)"
        }
    }
    let mayUpload = viewer.may(.importData) || viewer.may(.decideZones)
    // The choropleth only for roles that may see zone locations (as the outcomes page's map): a high ratio shows where zones were.
    var equityMap: HTML?
    if viewer.may(.viewZoneLocations), let report, let jurisdiction, let newestAreas, case .success(let areas) = newestAreas.areas,
       let grid = EquityMap.grid(jurisdiction, minimumCellMeters: 150) {
        let cells = env.equityAreas.mapCells(newestAreas.set, areas: areas, grid: grid, projection: jurisdiction.projection)
        let figure = EquityMap.figure(rows: report.audit.rows, areaCells: cells, grid: grid, jurisdiction: jurisdiction)
        let shown: HTML = "\(Layout.confidential(viewer, at: now, timeZone: tz))\(figure)"
        equityMap = shown
    }

    // Randomised evaluation.
    let assignments = try await env.store.documents(RandomisedAssignmentRecord.self).sorted { $0.recordedAt > $1.recordedAt }
    let comparison = try await OversightData.randomisedComparison(store: env.store, now: now)
    let form = try await randomiseForm(viewer, assignments: assignments, env: env)

    let sections = [
        OversightView.sensitivity(sensitivity, error: sensitivityError, cycles: recent, selected: selected?.id),
        OversightView.simulation(.standard(), seed: 2018),
        OversightView.equity(report, areaSet: areaSet, error: equityError, uploadForm: mayUpload ? OversightView.uploadForm(csrf: viewer.csrf) : nil,
                             map: equityMap, timeZone: tz),
        OversightView.randomised(assignments, comparison: comparison, form: form),
    ]
    try await env.audit(viewer, oversightViewAction, "oversight",
                  "sensitivity \(selected?.id ?? "none"); equity \(areaSet?.label ?? "no areas")\(equityMap == nil ? "" : " with its area map"); "
                  + "\(assignments.count) random assignment(s)")
    return html(OversightView.page(viewer: viewer, isSynthetic: jurisdiction?.isSynthetic ?? false, sections: sections))
}

/// The sensitivity of `selected` to police-initiated records (cached per cycle), or why it could not be computed.
private func policeInitiatedSensitivity(_ selected: CycleRecord?, env: WebEnvironment) async throws -> (PoliceInitiatedSensitivity?, String?) {
    guard let selected else { return (nil, nil) }
    let cycle = try env.decodedCycles.cycle(selected)
    let store = env.store
    // The store object, the cycle, the incidents it used (digest) and its document's size: a result is never reused across databases.
    let key = "\(ObjectIdentifier(store as AnyObject).hashValue)|\(selected.id)|\(cycle.provenance.incidentDigest)|\(selected.document.count)"
    do {
        return (try await SensitivityCache.shared.value(key) { try await OversightData.sensitivity(of: cycle, store: store) }, nil)
    } catch {
        return (nil, "The sensitivity could not be computed for \(selected.id): \(error)")
    }
}

/// The form to draw a randomised assignment: for roles that propose or decide zones, when the newest proposal has
/// at least two candidate zones and no assignment yet.
private func randomiseForm(_ viewer: Viewer, assignments: [RandomisedAssignmentRecord], env: WebEnvironment) async throws -> HTML? {
    guard viewer.may(.proposeZones) || viewer.may(.decideZones), let pending = try await env.store.newestCycle(status: .proposed),
          !assignments.contains(where: { $0.assignment.cycleID == pending.id }) else { return nil }
    let candidates = try env.decodedCycles.cycle(pending).zones.filter { $0.status != .retired }.map(\.id)
    return candidates.count >= 2 ? OversightView.randomiseForm(csrf: viewer.csrf, cycleID: pending.id, candidates: candidates) : nil
}

/// The audit action for viewing oversight reports: "view-oversight" once the audit log knows it; until then
/// "api-access" (not a zone-location action: the page shows no locations).
let oversightViewAction: AuditAction = AuditAction.viewOversight
