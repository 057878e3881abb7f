import Foundation
import Logging
import Testing
import ZoneCastStore
@testable import ZoneCastPlanning

/// The planner's diagnostics go to the `Logger` and clock its caller passes (issue #13, item 6), never to standard
/// error or the process environment.
@Suite("Proposal logging", .serialized)
struct ProposalLoggingTests {
    @Test("given a logger and a clock, then each phase of a proposal is logged at debug level with the seconds the clock gives, and nothing warns")
    func phasesAreLogged() async throws {
        let store = try await ProposalServiceTests.store()
        let lines = LoggedLines()
        var logger = Logger(label: "test.planning", factory: { _ in LoggedLines.Handler(lines: lines) })
        logger.logLevel = .debug
        let ticks = Ticks()
        let cycle = try await ProposalService(clock: ticks.read, logger: logger).propose(store: store, at: ProposalServiceTests.june1, id: "c-logged")
        #expect(!cycle.zones.isEmpty)
        let logged = lines.all
        for phase in ["load incidents", "digest", "grid and forecast", "optimise and stability", "point process for explanations", "explanations"] {
            // One tick per reading: each phase took exactly one second by this clock.
            #expect(logged.contains { $0.level == .debug && $0.message == "\(phase) 1.000 s" }, "\(phase) not in \(logged)")
        }
        #expect(!logged.contains { $0.level >= .warning }, "\(logged)")
    }

    @Test("given no clock, then the phases are logged without timings; given no logger, then the proposal is the same")
    func defaults() async throws {
        let store = try await ProposalServiceTests.store()
        let lines = LoggedLines()
        var logger = Logger(label: "test.planning", factory: { _ in LoggedLines.Handler(lines: lines) })
        logger.logLevel = .debug
        let logged = try await ProposalService(logger: logger).propose(store: store, at: ProposalServiceTests.june1, id: "c1")
        #expect(lines.all.contains { $0.message == "load incidents done" })
        let silent = try await ProposalService().propose(store: store, at: ProposalServiceTests.june1, id: "c1")
        #expect(logged == silent)
    }
}

/// A clock one second later at every reading.
final class Ticks: @unchecked Sendable {
    private let lock = NSLock()
    private var next = Date(timeIntervalSince1970: 1_700_000_000)

    var read: @Sendable () -> Date {
        { [self] in
            lock.withLock {
                defer { next = next.addingTimeInterval(1) }
                return next
            }
        }
    }
}

/// What a `Logger` was given, for tests.
final class LoggedLines: @unchecked Sendable {
    struct Line: Sendable, CustomStringConvertible {
        var level: Logger.Level
        var message: String
        var description: String { "\(level): \(message)" }
    }

    private let lock = NSLock()
    private var lines: [Line] = []

    var all: [Line] { lock.withLock { lines } }

    func append(_ line: Line) { lock.withLock { lines.append(line) } }

    struct Handler: LogHandler {
        let lines: LoggedLines
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
            lines.append(Line(level: level, message: message.description))
        }
    }
}
