import Foundation
import Testing
import ZoneCastOperations
import ZoneCastSQLite
import ZoneCastStore

@Suite("Crash safety of decisions")
struct CrashSafetyTests {
    @Test("the binary: a cycle approval killed with SIGKILL at any moment leaves the cycle either proposed with no approval entry or approved with exactly one, the audit chain intact, and a retry completes",
          .enabled(if: zonecastBinary != nil, "the zonecast executable is not built"))
    func killedApprovalIsAllOrNothing() async throws {
        let dir = try temporaryDirectory()
        let demo = try runZonecast(["demo", "--no-serve", "--incidents", "5000", "--db", "z.sqlite"], in: dir)
        #expect(demo.status == 0, "demo: \(demo.err)")
        let path = dir.appendingPathComponent("z.sqlite").path
        let key = try cliAuditKey(in: dir)
        let pending = try await #require(try SQLiteIncidentStore(path: path, auditKey: key).newestCycle(status: .proposed)?.id)
        var outcomes: [String] = []
        // Kill at increasing delays: before the process opens the database, around the transaction, after it.
        for delayMs in stride(from: 2, through: 80, by: 3) {
            let store = try SQLiteIncidentStore(path: path, auditKey: key)
            guard try await store.cycle(id: pending)?.status == .proposed else { break }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: zonecastBinary!)
            p.arguments = ["cycles", "approve", pending, "--db", "z.sqlite", "--reason", "IRIS (crash test)"]
            p.currentDirectoryURL = dir
            p.environment = zonecastEnvironment(in: dir)
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32(delayMs) * 1_000)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let after = try SQLiteIncidentStore(path: path, auditKey: key)
            let status = try await #require(try after.cycle(id: pending)?.status)
            let approvals = try await after.auditEntries(from: 1, limit: 10_000).filter { $0.action == AuditAction.approveCycle.rawValue && $0.subject == pending }
            #expect((status == .proposed && approvals.isEmpty) || (status == .approved && approvals.count == 1), "after a kill at \(delayMs) ms: \(status) with \(approvals.count) approval entries")
            await #expect(try after.verifyAuditChain().isIntact)
            outcomes.append("\(delayMs) ms: \(p.terminationReason == .uncaughtSignal ? "killed" : "finished"), \(status.rawValue)")
        }
        let store = try SQLiteIncidentStore(path: path, auditKey: key)
        if try await store.cycle(id: pending)?.status == .proposed {
            let retry = try runZonecast(["cycles", "approve", pending, "--db", "z.sqlite", "--reason", "IRIS (retry)"], in: dir)
            #expect(retry.status == 0, "retry: \(retry.err)")
        }
        #expect(try await store.cycle(id: pending)?.status == .approved)
        #expect(try await store.auditEntries(from: 1, limit: 10_000).filter { $0.action == AuditAction.approveCycle.rawValue && $0.subject == pending }.count == 1)
        #expect(try await store.verifyAuditChain().isIntact)
        print("killed approvals: " + outcomes.joined(separator: "; "))
    }
}
