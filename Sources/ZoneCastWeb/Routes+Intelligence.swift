import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastCore
import ZoneCastOperations
import ZoneCastStore
import HTTPTypes
import NIOCore

/// Intelligence items (what residents and partners tell officers and analysts), their triage, and the public
/// community-tip form. Restricted items are readable only by roles that see every zone and by their author.
func addIntelligenceRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    router.pages(requiring: .recordIntelligence, env: env).get("/intel") { request, context -> Response in
        let viewer = try context.viewer
        let tz = try await env.timeZone()
        let status = try queryChoice(request, "status", IntelligenceItem.Status.self)
        let kind = try queryChoice(request, "kind", IntelligenceItem.Kind.self)
        let items = try await env.store.documents(IntelligenceItem.self).filter { $0.isVisible(to: viewer.account) }
        return html(IntelligenceView.list(items, viewer: viewer, status: status, kind: kind, now: env.clock(), timeZone: tz))
    }

    router.pages(requiring: .recordIntelligence, env: env).get("/intel/new") { request, context -> Response in
        let viewer = try context.viewer
        return html(IntelligenceView.newForm(viewer: viewer, form: nil, error: nil))
    }

    router.pages(requiring: .recordIntelligence, env: env).post("/intel") { request, context -> Response in
        let viewer = try context.viewer
        let form = try context.form
        do {
            let item = try await env.recordIntelligence(form, viewer: viewer)
            return redirect("/intel/\(item.id)?recorded=1")
        } catch let error as WebError where error.kind == .badRequest {
            return html(IntelligenceView.newForm(viewer: viewer, form: form, error: error.message), status: .badRequest)
        }
    }

    router.pages(requiring: .recordIntelligence, env: env).get("/intel/{id}") { request, context -> Response in
        let viewer = try context.viewer
        let item = try await env.visibleItem(context.parameters.require("id"), for: viewer)
        let jurisdiction = try await env.store.jurisdiction()
        let query = request.uri.queryParameters
        let confirmation = query["recorded"] != nil ? "Recorded. Thank you." : query["triaged"] != nil ? "Triage saved." : nil
        return await html(IntelligenceView.detail(item, viewer: viewer, jurisdiction: jurisdiction, now: env.clock(), timeZone: try env.timeZone(),
                                            form: nil, error: nil, confirmation: confirmation))
    }

    router.pages(requiring: .triageTips, env: env).post("/intel/{id}/triage") { request, context -> Response in
        let viewer = try context.viewer
        let form = try context.form
        let item = try await env.visibleItem(context.parameters.require("id"), for: viewer)
        do {
            try await env.triage(item, form: form, viewer: viewer)
            return redirect("/intel/\(item.id)?triaged=1")
        } catch let error as WebError where error.kind == .badRequest {
            let original = try await env.visibleItem(item.id, for: viewer)
            let page = await IntelligenceView.detail(original, viewer: viewer, jurisdiction: try await env.store.jurisdiction(), now: env.clock(),
                                               timeZone: try env.timeZone(), form: form, error: error.message)
            return html(page, status: .badRequest)
        }
    }

    // The public tip form: no sign-in, no zone information, its own double-submitted CSRF cookie, rate-limited.
    router.get("/tips") { _, _ -> Response in
        let csrf = randomToken()
        var response = html(TipView.form(csrf: csrf, form: nil, error: nil))
        response.setCookie(cookie("zc_tip_csrf", csrf, env: env, maxAge: 3_600))
        return response
    }

    router.post("/tips") { request, context -> Response in
        try await receiveTip(request, context: context, env: env)
    }
}

/// A community tip from the public form: checked against its CSRF cookie, counted against the sender's quota only
/// once valid, stored restricted with a notice to analysts; the form comes back with the error otherwise.
private func receiveTip(_ request: Request, context: AppRequestContext, env: WebEnvironment) async throws -> Response {
    let form = try await Form.read(request)
    func again(_ message: String, _ status: HTTPResponse.Status) -> Response {
        let fresh = randomToken()
        var response = html(TipView.form(csrf: fresh, form: form, error: message), status: status)
        response.setCookie(cookie("zc_tip_csrf", fresh, env: env, maxAge: 3_600))
        return response
    }
    guard let sent = form["csrf"], let expected = request.cookies["zc_tip_csrf"]?.value, !expected.isEmpty, constantTimeEquals(sent, expected) else {
        return again("This form expired or did not come from this site. Please check your report and send it again.", .forbidden)
    }
    let now = env.clock()
    let client = tipClientKey(request, context: context, trusted: env.configuration.trustedProxies)
    do {
        var item = try env.tipItem(form, at: now)
        // Counted only now that the tip is valid, and given back if it is not stored: a form returned with an
        // error does not use up the resident's quota.
        guard await env.tipLimiter.allow(client, now: now) else {
            return html(TipView.tooMany(), status: .tooManyRequests)
        }
        do {
            item.id = env.newID("tip")
            try await env.storeTip(item, at: now)
        } catch {
            await env.tipLimiter.release(client, at: now)
            throw error
        }
        var response = html(TipView.thanks(place: item.locationText, what: item.summary))
        response.setCookie(cookie("zc_tip_csrf", "", env: env, maxAge: 0))
        return response
    } catch let error as WebError where error.kind == .badRequest {
        return again(error.message, .badRequest)
    }
}

extension WebEnvironment {
    /// A community tip from the public form, checked (its id is given when it is stored): restricted, new, kept 14 days,
    /// with the sender's contact only if they gave one and did not ask to stay anonymous.
    func tipItem(_ form: Form, at now: Date) throws -> IntelligenceItem {
        let what = try form.text("what", label: "What is happening", maxLength: 2_000)
        let place = try form.text("where", label: "Where", maxLength: 300)
        let when = try form.text("when", label: "When", required: false, maxLength: 200)
        let kind = (try? form.choice("kind", IntelligenceItem.Kind.self)) ?? .other
        let anonymous = form["anonymous"] == "on" || form["anonymous"] == "yes"
        let contact = try form.text("contact", label: "Your name and how to reach you", required: false, maxLength: 300)
        var item = IntelligenceItem(id: "", createdAt: now, createdBy: nil, kind: kind, summary: what, locationText: place,
                                    latitude: nil, longitude: nil, source: .communityTip, sensitivity: .restricted,
                                    expiresAt: now.addingTimeInterval(14 * 86_400), status: .new, contact: anonymous || contact.isEmpty ? nil : contact)
        item.whenText = when.isEmpty ? nil : when
        return item
    }

    /// Stores a community tip with the day's notice to analysts (how many tips wait) and its audit entry.
    func storeTip(_ item: IntelligenceItem, at now: Date) async throws {
        let waiting = try await store.documents(IntelligenceItem.self,
            group: IntelligenceItem.Status.new.rawValue).filter { $0.source == .communityTip }.count + 1
        let notice = Notice(id: "notice-tips-\(await dayKey(now, timeZone: try timeZone()))", createdAt: now, audience: .analyst,
                            text: waiting == 1 ? "1 new community tip awaiting triage" : "\(waiting) new community tips awaiting triage",
                            link: "/intel?status=new")
        try await store.apply([.save(item), .save(notice),
                         .audit(AuditDraft(at: now, actor: "public", action: .communityTip, subject: item.id,
                                           detail: "\(item.kind.rawValue), \(item.contact == nil ? "anonymous" : "with contact")"))])
    }

    /// An item recorded by an officer or analyst from the form (a community tip comes only through the public form).
    func recordIntelligence(_ form: Form, viewer: Viewer) async throws -> IntelligenceItem {
        let now = clock()
        let kind = try form.choice("kind", IntelligenceItem.Kind.self)
        let summary = try form.text("summary", label: "summary", maxLength: 2_000)
        let place = try form.text("locationText", label: "place", maxLength: 300)
        let whenText = try form.text("whenText", label: "when", required: false, maxLength: 200)
        let source = try form.choice("source", IntelligenceItem.Source.self)
        guard source != .communityTip else { throw WebError.invalid("source", source.rawValue, "community tips come only through the public form") }
        let sensitivity = try form.choice("sensitivity", IntelligenceItem.Sensitivity.self)
        let days = try form.integer("expiresDays", label: "expires after (days)", range: 1...90, default: 14)
        let point = try await intelligencePoint(form)
        var item = IntelligenceItem(id: newID("intel"), createdAt: now, createdBy: viewer.username, kind: kind, summary: summary, locationText: place,
                                    latitude: point?.latitude, longitude: point?.longitude, source: source, sensitivity: sensitivity,
                                    expiresAt: now.addingTimeInterval(Double(days) * 86_400), status: .open)
        item.whenText = whenText.isEmpty ? nil : whenText
        let detail = "\(kind.rawValue), \(sensitivity.rawValue), source \(source.rawValue), expires in \(days) days\(point == nil ? "" : ", with coordinates")"
        try await store.apply([.save(item), .audit(draft(viewer, .recordIntelligence, item.id, detail))])
        return item
    }

    /// Saves a triage of the item from the form: status and note, coordinates, an extension, and whether (and how
    /// far around) the place's priority is raised; raising and withdrawing it are audited apart.
    func triage(_ item: IntelligenceItem, form: Form, viewer: Viewer) async throws {
        var item = item
        let now = clock()
        let status = try form.choice("status", IntelligenceItem.Status.self)
        guard status != .new else { throw WebError.invalid("status", status.rawValue, "choose open, closed or dismissed") }
        let note = try form.text("note", label: "triage note", maxLength: 2_000)
        let raise = form["raise"] == "on" || form["raise"] == "yes"
        let radius = try form.integer("radius", label: "priority radius (metres)", range: 50...2_000, default: Int(item.priorityRadiusMeters))
        if let point = try await intelligencePoint(form) {
            item.latitude = point.latitude
            item.longitude = point.longitude
        }
        if let days = form["expiresDays"], !days.trimmingCharacters(in: .whitespaces).isEmpty {
            item.expiresAt = now.addingTimeInterval(Double(try form.integer("expiresDays", label: "expires after (days)", range: 1...90)) * 86_400)
        }
        if raise { try Self.checkRaise(item, status: status, at: now) }
        let wasRaising = item.raisesPriority
        let previous = item.status
        item.status = status
        item.triageNote = note
        item.triagedBy = viewer.username
        item.triagedAt = now
        item.raisesPriority = raise
        item.priorityRadiusMeters = Double(radius)
        let triaged = draft(viewer, .triageIntelligence, item.id, "\(previous.rawValue) → \(status.rawValue): \(note)")
        var changes: [StoreChange] = [try .save(item), .audit(triaged)]
        if raise {
            changes.append(.audit(draft(viewer, .raisePriority, item.id, "radius \(radius) m: \(note)")))
        } else if wasRaising {
            changes.append(.audit(draft(viewer, .raisePriority, item.id, "withdrawn: \(note)")))
        }
        try await store.apply(changes)
    }

    /// An item raises its place's priority only while open, placed and not expired.
    private static func checkRaise(_ item: IntelligenceItem, status: IntelligenceItem.Status, at now: Date) throws {
        guard status == .open else {
            throw WebError.invalid("raise priority", status.rawValue, "only an open item can raise a place's priority; set the status to open")
        }
        guard item.latitude != nil, item.longitude != nil else {
            throw WebError.invalid("raise priority", "no coordinates", "give the place's latitude and longitude first")
        }
        guard !item.isExpired(at: now) else {
            throw WebError.invalid("raise priority", "expired", "the item has expired; extend it with \"expires after (days)\"")
        }
    }

    /// The item, if it exists and the viewer may read it (otherwise 404: a restricted item's existence is not told).
    func visibleItem(_ id: String, for viewer: Viewer) async throws -> IntelligenceItem {
        guard let item = try await store.document(IntelligenceItem.self, id: id), item.isVisible(to: viewer.account) else {
            throw WebError(.notFound, "no intelligence item \(id) that you may see")
        }
        return item
    }

    /// Optional coordinates from `latitude` and `longitude`: both or neither, numbers in range, inside or within
    /// 2 km of the jurisdiction.
    func intelligencePoint(_ form: Form) async throws -> GeoPoint? {
        let lat = try form.double("latitude", range: -90...90), lon = try form.double("longitude", range: -180...180)
        switch (lat, lon) {
        case (nil, nil): return nil
        case (nil, _): throw WebError.invalid("latitude", "", "give both latitude and longitude, or neither")
        case (_, nil): throw WebError.invalid("longitude", "", "give both latitude and longitude, or neither")
        case let (lat?, lon?):
            let p = GeoPoint(latitude: lat, longitude: lon)
            guard let jurisdiction = try await store.jurisdiction() else { return p }
            if case .outside(let meters) = PlaceCheck.of(p, in: jurisdiction) {
                throw WebError.invalid("latitude/longitude", "\(form["latitude"] ?? ""), \(form["longitude"] ?? "")",
                                       "\(String(format: "%.1f", meters / 1_000)) km outside \(jurisdiction.displayName) (check the order and the signs)")
            }
            return p
        }
    }
}

/// A filter from the query string: absent or "" for any, else one of the cases (400 naming the value otherwise).
func queryChoice<E: RawRepresentable & CaseIterable>(_ request: Request, _ name: String, _ type: E.Type) throws -> E? where E.RawValue == String {
    guard let raw = request.uri.queryParameters[Substring(name)].map(String.init), !raw.isEmpty, raw != "any" else { return nil }
    guard let v = E(rawValue: raw) else { throw WebError.invalid(name, raw, "choose one of \(E.allCases.map(\.rawValue).joined(separator: ", "))") }
    return v
}

func dayKey(_ date: Date, timeZone: TimeZone) -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = timeZone
    f.dateFormat = "yyyyMMdd"
    return f.string(from: date)
}
