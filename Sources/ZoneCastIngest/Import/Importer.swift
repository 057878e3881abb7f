public import Foundation
public import Logging
import Synchronization
public import ZoneCastCore
public import ZoneCastStore

/// Progress of a running import, reported a few times a second.
public struct ImportProgress: Sendable {
    public var rowsRead: Int
    public var bytesRead: Int64
    public var totalBytes: Int64
    public var elapsedSeconds: Double
}

/// What an import did, as `zonecast import --json` prints it.
public struct ImportReport: Codable, Sendable {
    public var file: String
    public var source: String
    public var mapping: String
    public var jurisdiction: String
    public var synthetic: Bool
    /// True when this exact file was imported before: nothing was read or written.
    public var alreadyImported: Bool
    public var batchID: Int64?
    public var rowsRead: Int
    public var incidentsImported: Int
    public var rowsMerged: Int
    public var rowsUnchanged: Int
    /// Rows an earlier batch quarantined, rejected again (listed once, under that batch).
    public var rowsStillQuarantined: Int
    public var rowsRejected: Int
    public var rejectedByReason: [String: Int]
    public var warnings: [String: Int]
    public var seconds: Double
    public var rowsPerSecond: Double
}

/// Reads a file through a mapping into a store, in one transaction. Parsing and validation run on a second
/// thread while the store writes, so both cores work; rows keep their file order.
public struct Importer: Sendable {
    public var mapping: Mapping
    public var jurisdiction: Jurisdiction
    public var weights: HarmWeights
    /// The import's notion of "now" (future-dated rows are rejected against it); injected for tests.
    public var now: Date
    /// Field and record size limits for files read by `importFile`.
    public var limits: CSVLimits
    /// Who runs the import (e.g. "cli:alice"): when set, the store appends an `import` audit entry in the import's
    /// transaction. Nil only for tests and benchmarks.
    public var auditActor: String?
    /// The wall clock: the batch's `startedAt` and `finishedAt`, the report's seconds, progress and the timings.
    /// The caller's (the command line passes the system's); by default a clock stopped at `now`, so a test's batches
    /// are stamped `now` and its timings read 0.
    public var clock: @Sendable () -> Date
    /// Where the phase timings go (debug level); nothing by default.
    public var logger: Logger

    public init(mapping: Mapping, jurisdiction: Jurisdiction, weights: HarmWeights = .cambridgeDefaults, now: Date,
                limits: CSVLimits = .standard, auditActor: String? = nil, clock: (@Sendable () -> Date)? = nil,
                logger: Logger = Importer.silentLogger) {
        self.mapping = mapping
        self.jurisdiction = jurisdiction
        self.weights = weights
        self.now = now
        self.limits = limits
        self.auditActor = auditActor
        self.clock = clock ?? { now }
        self.logger = logger
    }

    /// A logger that drops everything: the default where a caller passes none.
    public static let silentLogger = Logger(label: "zonecast.import", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Imports `file` unless this source imported the same bytes before; `again` imports it anyway, as a new batch,
    /// for a file read through a corrected mapping: rows already held are recognised as such, and rows quarantined
    /// the first time (kept, with their reasons, under the first batch) get another try.
    public func importFile(
        _ file: InputFile, into store: any IncidentStore, progress: ((ImportProgress) -> Void)? = nil, again: Bool = false
    ) async throws -> ImportReport {
        let started = clock()
        let sha = try file.sha256()
        if !again, let previous = try await store.completedBatch(source: mapping.source, fileSHA256: sha) {
            return report(file: file, batchID: previous.id, counts: ImportCounts(), alreadyImported: true, seconds: clock().timeIntervalSince(started))
        }
        // The mapping's declared separator decides; only without one does the header line.
        let (reader, process) = try file.openReader(limits: limits, separator: try mapping.declaredSeparator())
        defer { process?.waitUntilExit() }
        let info = ImportBatchInfo(source: mapping.source, mappingName: mapping.name, fileName: file.fileName, fileSHA256: sha, startedAt: started)
        let totalBytes = file.decompressor == nil ? file.sizeBytes : 0
        let batch = try await importRecords(reader, info: info, totalBytes: totalBytes, into: store, progress: progress)
        if let process, process.isRunning == false, process.terminationStatus != 0 {
            throw IngestError.decompressionFailed(path: file.path, reason: "\(file.decompressor ?? "") exited with \(process.terminationStatus)")
        }
        return report(file: file, batchID: batch.id, counts: batch.counts, alreadyImported: false, seconds: clock().timeIntervalSince(started))
    }

    /// Imports records from any reader (files, memory). The header is the first record.
    public func importRecords<S: ByteChunkSource & SendableMetatype>(
        _ reader: CSVReader<S>, info: ImportBatchInfo, totalBytes: Int64 = 0, into store: any IncidentStore,
        progress: ((ImportProgress) -> Void)? = nil
    ) async throws -> ImportBatch {
        var reader = reader
        var info = info
        // The store binds a new database to this jurisdiction (or refuses another's) inside the import's transaction.
        info.jurisdiction = info.jurisdiction ?? jurisdiction
        info.auditActor = info.auditActor ?? auditActor
        guard let headerRecord = try reader.next() else { throw IngestError.emptyFile(info.fileName) }
        if let problem = headerRecord.problem {
            throw IngestError.invalidHeader(file: info.fileName, reason: "\(problem)")
        }
        // Rows are usually about as long as the header; good enough for a store's bulk-or-not decision.
        if totalBytes > 0 { info.expectedRows = Int(totalBytes) / max(40, headerRecord.raw.utf8.count) }
        let compiled = try CompiledMapping(mapping: mapping, header: headerRecord.fields, jurisdiction: jurisdiction, now: now)
        let source = mapping.source
        let pipeline = RowPipeline()
        let box = UncheckedBox((reader, compiled))
        let (clock, logger) = (self.clock, self.logger)
        let producer = Thread {
            let producerStart = clock()
            defer { logger.debug("parsing thread \(clock().timeIntervalSince(producerStart)) s") }
            var (reader, compiled) = box.value
            do {
                var chunk = PreparedChunk()
                while let record = try reader.next() {
                    chunk.append(record, compiled.interpret(record, source: source), source: source)
                    if chunk.rows.count == RowPipeline.chunkSize {
                        guard pipeline.put(.rows(chunk, bytes: reader.bytesConsumed)) else { return }
                        chunk = PreparedChunk()
                    }
                }
                if !chunk.rows.isEmpty { _ = pipeline.put(.rows(chunk, bytes: reader.bytesConsumed)) }
                _ = pipeline.put(.end)
            } catch {
                _ = pipeline.put(.failed(error))
            }
        }
        producer.stackSize = 8 << 20
        producer.start()
        defer { pipeline.cancel() }

        let started = clock()
        var lastReport = started
        var waited = 0.0
        defer { logger.debug("writer waited \(waited) s for parsed rows, total \(clock().timeIntervalSince(started)) s") }
        return try await store.importBatch(info, weights: weights, clock: clock) { writer in
            var counts = ImportCounts()
            loop: while true {
                let waitStart = clock()
                let item = await pipeline.take()
                waited += clock().timeIntervalSince(waitStart)
                switch item {
                case .end: break loop
                case .failed(let error): throw error
                case .rows(let chunk, let bytes):
                    let dispositions = try await writer.write(chunk.rows)
                    counts.rowsRead += dispositions.count
                    for d in dispositions { counts.count(d) }
                    for (index, warnings) in chunk.warnings {
                        switch dispositions[index] {
                        case .inserted, .merged: for w in warnings { counts.warnings[w, default: 0] += 1 }
                        default: break
                        }
                    }
                    if let progress, clock().timeIntervalSince(lastReport) > 0.25 {
                        lastReport = clock()
                        progress(ImportProgress(rowsRead: counts.rowsRead, bytesRead: bytes, totalBytes: totalBytes,
                                                elapsedSeconds: lastReport.timeIntervalSince(started)))
                    }
                }
            }
            return counts
        }
    }

    func report(file: InputFile, batchID: Int64?, counts: ImportCounts, alreadyImported: Bool, seconds: Double) -> ImportReport {
        ImportReport(
            file: file.path, source: mapping.source, mapping: mapping.name, jurisdiction: jurisdiction.name,
            synthetic: (mapping.synthetic ?? false) || jurisdiction.isSynthetic, alreadyImported: alreadyImported, batchID: batchID,
            rowsRead: counts.rowsRead, incidentsImported: counts.incidentsImported, rowsMerged: counts.rowsMerged,
            rowsUnchanged: counts.rowsUnchanged, rowsStillQuarantined: counts.rowsStillQuarantined, rowsRejected: counts.rowsRejected,
            rejectedByReason: Dictionary(uniqueKeysWithValues: counts.rejectedByReason.map { ($0.key.rawValue, $0.value) }),
            warnings: counts.warnings, seconds: seconds, rowsPerSecond: seconds > 0 ? Double(counts.rowsRead) / seconds : 0)
    }
}

/// Rows after parsing and validation, ready for the store, built on the parsing thread (including each row's
/// content fingerprint) so the writing thread only writes.
struct PreparedChunk: Sendable {
    var rows: [ImportRow] = []
    /// Warnings of the few rows that have any, by index into `rows`.
    var warnings: [(Int, [String])] = []

    init() { rows.reserveCapacity(RowPipeline.chunkSize) }

    mutating func append(_ record: CSVRecord, _ result: RowResult, source: String) {
        let fingerprint = Fingerprints.of(source: source, row: record.raw)
        switch result {
        case .incident(let incident, let rowKey, let w):
            if !w.isEmpty { warnings.append((rows.count, w)) }
            rows.append(.incident(incident, fingerprint: fingerprint, rowKey: rowKey, lineNumber: record.lineNumber))
        case .rejected(let reason, let field, let value, let message):
            rows.append(.rejected(QuarantinedRow(batchID: 0, lineNumber: record.lineNumber, source: source, reason: reason,
                                                 field: field, value: value, message: message, rawRow: record.raw), fingerprint: fingerprint))
        }
    }
}

/// A bounded hand-off between the parsing thread and the writing task: the parsing thread blocks while it is full
/// (it is a thread of its own), the writing task suspends while it is empty (it never holds a pool thread waiting).
final class RowPipeline: Sendable {
    enum Item: Sendable { case rows(PreparedChunk, bytes: Int64), end, failed(any Error) }
    static let chunkSize = 2048
    private static let capacity = 8

    private struct State {
        var items: [Item] = []
        var cancelled = false
        var taker: CheckedContinuation<Item, Never>?
    }

    private let state = Mutex(State())
    /// Free places: `put` takes one, `take` gives it back.
    private let space = DispatchSemaphore(value: RowPipeline.capacity)

    /// Blocks while full; false once the consumer has gone away.
    func put(_ item: Item) -> Bool {
        space.wait()
        let (accepted, taker): (Bool, CheckedContinuation<Item, Never>?) = state.withLock { s in
            if s.cancelled { return (false, nil) }
            if let taker = s.taker {
                s.taker = nil
                return (true, taker)
            }
            s.items.append(item)
            return (true, nil)
        }
        if let taker {
            space.signal()
            taker.resume(returning: item)
        }
        return accepted
    }

    func take() async -> Item {
        await withCheckedContinuation { (c: CheckedContinuation<Item, Never>) in
            let item: Item? = state.withLock { s in
                if s.items.isEmpty {
                    s.taker = c
                    return nil
                }
                return s.items.removeFirst()
            }
            if let item {
                space.signal()
                c.resume(returning: item)
            }
        }
    }

    func cancel() {
        state.withLock { s in
            s.cancelled = true
            s.items.removeAll()
        }
        // Wakes a parser blocked in `put` (it then sees the cancellation), with room for its last two puts.
        for _ in 0...Self.capacity + 2 { space.signal() }
    }
}

final class UncheckedBox<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}
