public import Foundation
import ZoneCastStreets

/// Runs Debian's `osmium` (package osmium-tool; `osmium export`, libosmium's well-kept PBF/XML reader) rather
/// than a PBF parser of our own:
///
///     osmium export -c CONFIG -f geojsonseq -o OUT --overwrite FILE
///
/// CONFIG keeps only the tag keys the street layer reads (highway, name, amenity, leisure, railway,
/// public_transport), builds lines from `highway` ways and areas from parks, school grounds and places of worship,
/// and writes no OSM attributes (ids, users, timestamps). The config and the output are files in `workDirectory`
/// (the caller's; nothing here reads TMPDIR or the environment), removed afterwards. osmium reads the whole
/// extract into memory (`flex_mem` index): fine for a city, not for a continent.
public struct OsmiumExtractor: OSMExtractor {
    public var executable: URL
    public var workDirectory: URL

    public init(executable: URL = URL(fileURLWithPath: "/usr/bin/osmium"), workDirectory: URL) {
        self.executable = executable
        self.workDirectory = workDirectory
    }

    /// The osmium export configuration (JSON) this extractor writes.
    public static let configuration = """
        {
          "attributes": {"type": false, "id": false, "version": false, "changeset": false, "timestamp": false,
                         "uid": false, "user": false, "way_nodes": false},
          "linear_tags": ["highway"],
          "area_tags": ["leisure=park", "amenity=school", "amenity=place_of_worship"],
          "exclude_tags": [],
          "include_tags": ["highway", "name", "amenity", "leisure", "railway", "public_transport"]
        }
        """

    public func export(_ file: URL) async throws(OSMError) -> Data {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { throw .osmiumMissing(path: executable.path) }
        guard FileManager.default.isReadableFile(atPath: file.path) else { throw .io(path: file.path, reason: "not found or not readable") }
        let stamp = UUID().uuidString
        let config = workDirectory.appendingPathComponent("osmium-export-\(stamp).json")
        let output = workDirectory.appendingPathComponent("osmium-export-\(stamp).geojsonseq")
        let log = workDirectory.appendingPathComponent("osmium-export-\(stamp).log")
        defer {
            for f in [config, output, log] { try? FileManager.default.removeItem(at: f) }
        }
        do {
            try Data(Self.configuration.utf8).write(to: config)
        } catch {
            throw .io(path: config.path, reason: error.localizedDescription)
        }
        let (status, message) = try await Self.run(executable, log: log, ["export", "-c", config.path, "-f", "geojsonseq", "-o", output.path,
                                                                "--overwrite", "--no-progress", file.path])
        guard status == 0 else { throw .osmiumFailed(file: file.path, status: status, message: message) }
        do {
            return try Data(contentsOf: output)
        } catch {
            throw .io(path: output.path, reason: error.localizedDescription)
        }
    }

    /// Runs a program to completion without blocking a cooperative thread (the exit is awaited through the
    /// termination handler); returns its status and the last 2,000 characters of its stderr. Stderr goes to a
    /// file, not a pipe, so a chatty child can never fill a pipe nobody reads and hang.
    static func run(_ executable: URL, log: URL, _ arguments: [String]) async throws(OSMError) -> (Int32, String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        guard FileManager.default.createFile(atPath: log.path, contents: nil), let errors = FileHandle(forWritingAtPath: log.path) else {
            throw .io(path: log.path, reason: "cannot create osmium's log file")
        }
        defer { try? errors.close() }
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            let status: Int32 = try await withCheckedThrowingContinuation { continuation in
                process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                do { try process.run() } catch {
                    process.terminationHandler = nil
                    continuation.resume(throwing: error)
                }
            }
            let text = String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self)
            return (status, String(text.suffix(2_000)).trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            throw .io(path: executable.path, reason: "could not start: \(error.localizedDescription)")
        }
    }
}
