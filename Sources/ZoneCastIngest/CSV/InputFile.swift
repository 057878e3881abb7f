import Crypto
public import Foundation
import ZoneCastCore

/// An input file on disk, transparently decompressed when it ends in .gz or .bz2 (FARS ships .csv.bz2): the
/// system's gzip/bzip2 stream into a pipe, so nothing is unpacked to disk.
public struct InputFile: Sendable {
    public let path: String

    public init(path: String) throws(IngestError) {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else { throw .fileNotFound(path) }
        guard FileManager.default.isReadableFile(atPath: path) else { throw .unreadableFile(path: path, reason: "permission denied") }
        self.path = path
    }

    public var fileName: String { (path as NSString).lastPathComponent }

    public var sizeBytes: Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber)?.int64Value ?? 0
    }

    var decompressor: String? {
        if path.hasSuffix(".gz") { return "gzip" }
        if path.hasSuffix(".bz2") { return "bzip2" }
        return nil
    }

    /// SHA-256 of the bytes on disk, hex: the identity of "the same file" for idempotent re-imports.
    public func sha256() throws(IngestError) -> String {
        guard let h = FileHandle(forReadingAtPath: path) else { throw .unreadableFile(path: path, reason: "cannot open") }
        defer { try? h.close() }
        var hasher = SHA256()
        do {
            while let data = try h.read(upToCount: 4 << 20), !data.isEmpty { hasher.update(data: data) }
        } catch {
            throw .unreadableFile(path: path, reason: error.localizedDescription)
        }
        return hasher.finalize().hexText
    }

    /// Opens a reader over the (decompressed) content. The returned process, if any, must be waited for.
    /// `separator`: `,` or `;` (a mapping's `separator`), or nil to detect it from the header line.
    public func openReader(limits: CSVLimits = .standard, separator: UInt8? = nil) throws(IngestError) -> (CSVReader<FileChunkSource>, Process?) {
        if let tool = decompressor {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [tool, "-dc", path]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            do {
                try process.run()
            } catch {
                throw .decompressionFailed(path: path, reason: "cannot start \(tool): \(error.localizedDescription)")
            }
            let source = FileChunkSource(handle: pipe.fileHandleForReading, decompressor: (process, path))
            return (CSVReader(source: source, limits: limits, separator: separator), process)
        }
        guard let h = FileHandle(forReadingAtPath: path) else { throw .unreadableFile(path: path, reason: "cannot open") }
        return (CSVReader(source: FileChunkSource(handle: h), limits: limits, separator: separator), nil)
    }
}
