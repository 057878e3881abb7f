import Foundation
import ZoneCastAccess
import ZoneCastCore
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastSQLite
import ZoneCastStore
import ZoneCastZoning

/// The operational picture the demo starts from, so every page has something to show: a cycle approved at the
/// last IRIS meeting and in force (two days in, the Violent Crimes Enforcement Division deployed), the proposal
/// for the next cycle, the next IRIS meeting to decide it, and two intelligence items. All of it is synthetic and
/// written through the audit log like any other change.
struct DemoOperations {
    let store: SQLiteIncidentStore
    let now: Date

    func stage() async throws {
        let hour = 3_600.0
        let thisHour = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / hour).rounded(.down) * hour)
        let currentStart = thisHour.addingTimeInterval(-48 * hour)
        let current = try await ProposalService().propose(store: store, at: currentStart, id: cycleID(currentStart))
        var approved = current
        approved.status = .approved
        approved.approvedZones = current.zones.map(\.zone)
        approved.approvalReason = "approved as proposed at the IRIS meeting (demo)"
        let deployments = current.zones.map { z in
            Deployment(id: "D-demo-\(z.id)", cycleID: current.id, zoneID: z.id, units: [.violentCrimesEnforcement], assignedBy: "demo",
                       assignedAt: currentStart, reason: "initial deployment (demo)")
        }
        var changes: [StoreChange] = [.saveCycle(try approved.record(createdAt: currentStart)),
                                      .audit(AuditDraft(at: currentStart, actor: "demo", action: .approveCycle, subject: current.id,
                                                        detail: approved.approvalReason ?? ""))]
        changes += try deployments.map { try .save($0) }
        changes.append(.audit(AuditDraft(at: currentStart, actor: "demo", action: .assignUnits, subject: current.id,
                                         detail: "Violent Crimes Enforcement Division to every zone")))
        try await store.apply(changes)
        print("Cycle \(current.id) approved and in force (\(current.zones.count) zones, Violent Crimes Enforcement Division deployed).")

        let nextStart = current.endsAt
        let next = try await ProposalService().propose(store: store, at: nextStart, id: cycleID(nextStart))
        // The next IRIS meeting: tomorrow at 10:00 in the jurisdiction's time zone.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: try await store.jurisdiction()?.timeZoneIdentifier ?? "UTC") ?? .gmt
        let tomorrow = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: now))!
        let meetingAt = calendar.date(bySettingHour: 10, minute: 0, second: 0, of: tomorrow)!
        let meeting = Meeting(id: "M-demo-1", title: "IRIS meeting (demo)", scheduledAt: meetingAt, cycleID: next.id,
                              attendees: ["Demo commander", "Demo analyst", "Violent Crimes Enforcement Division sergeant"], createdBy: "demo", createdAt: now)
        let centre = next.zones.first?.zone.centroid
        let projection = try? await store.jurisdiction()?.projection
        let place = centre.flatMap { projection?.unproject($0) }
        var items: [IntelligenceItem] = []
        if let place {
            items.append(IntelligenceItem(id: "I-demo-1", createdAt: now.addingTimeInterval(-20 * hour), createdBy: "demo", kind: .dispute,
                                          summary: "Neighbours report an ongoing argument between two families that turned physical last weekend "
                                              + "(synthetic example).",
                                          locationText: "near the centre of the first proposed zone", latitude: place.latitude, longitude: place.longitude,
                                          source: .communityPartner, sensitivity: .normal, expiresAt: now.addingTimeInterval(14 * 86_400), status: .open))
        }
        items.append(IntelligenceItem(id: "I-demo-2", createdAt: now.addingTimeInterval(-3 * hour), createdBy: nil, kind: .retaliation,
                                      summary: "Someone said there will be payback for last week's shooting (synthetic community tip).",
                                      locationText: "the corner store on the main street",
                                      latitude: nil, longitude: nil, source: .communityTip, sensitivity: .restricted,
                                      expiresAt: now.addingTimeInterval(14 * 86_400), status: .new))
        changes = [.saveCycle(try next.record(createdAt: now)),
                   .audit(AuditDraft(at: now, actor: "demo", action: .propose, subject: next.id, detail: "\(next.zones.count) zones")),
                   try .save(meeting), .audit(AuditDraft(at: now, actor: "demo", action: .scheduleMeeting, subject: meeting.id, detail: next.id))]
        for item in items {
            changes += [try .save(item), .audit(AuditDraft(at: item.createdAt, actor: item.createdBy ?? "public",
                                                           action: item.createdBy == nil ? .communityTip : .recordIntelligence, subject: item.id))]
        }
        try await store.apply(changes)
        print("Next cycle \(next.id) proposed (\(next.zones.count) zones) for the IRIS meeting \(meeting.id) "
              + "at \(ISO8601DateFormatter().string(from: meetingAt)).")
    }

    func cycleID(_ start: Date) -> String {
        "C-" + ISO8601DateFormatter().string(from: start).replacingOccurrences(of: ":", with: "")
    }
}
