import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ZoneCastOperations
import ZoneCastCore

/// The audit key's file, read only here at the edge and handed to the stores as a value. One key serves every
/// database of the user by default (`~/.config/zonecast/audit.key`, or under `$XDG_CONFIG_HOME`), so `demo`,
/// `serve` and every other command find it without set-up; `--audit-key-file` or `ZONECAST_AUDIT_KEY_FILE` put it
/// elsewhere (another disk, another owner's directory: somewhere whoever can write the database cannot read).
/// Contents: 64 hexadecimal digits (32 random bytes) and a newline; mode 0600, refused if others may read it.
enum AuditKeyFile {
    /// The default location, created on first use.
    static func defaultPath(environment: [String: String]) -> String {
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()) + "/.config")
        return config + "/zonecast/audit.key"
    }

    /// Reads the key at `path`. A missing file is created (with a new random key) only when `create` is true (the
    /// default location, or `audit new-key`); otherwise it is an error naming the file.
    static func load(_ path: String, create: Bool) throws -> AuditKey {
        if !FileManager.default.fileExists(atPath: path) {
            guard create else {
                throw AuditKeyFileError("no audit key at \(path) (create one with: zonecast audit new-key --audit-key-file \(path))")
            }
            try write(newKeyAt: path)
        }
        var st = stat()
        guard stat(path, &st) == 0 else { throw AuditKeyFileError("audit key \(path): \(String(cString: strerror(errno)))") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw AuditKeyFileError("audit key \(path) is not a regular file") }
        guard st.st_mode & 0o077 == 0 else {
            throw AuditKeyFileError("audit key \(path) may be read by others (mode \(String(st.st_mode & 0o777, radix: 8))): run chmod 600 \(path)")
        }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw AuditKeyFileError("audit key \(path) is unreadable: \(error.localizedDescription)")
        }
        let hex = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard hex.count % 2 == 0, hex.count <= 128, let bytes = bytes(hex: hex) else {
            throw AuditKeyFileError("audit key \(path) must hold 64-128 hexadecimal digits")
        }
        do { return try AuditKey(bytes: bytes) } catch { throw AuditKeyFileError("audit key \(path): \(error)") }
    }

    /// A new random 32-byte key at `path` (mode 0600, its directory 0700 when created); never overwrites.
    static func write(newKeyAt path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) }
        var rng = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        try PrivateTextFile.create(path, contents: key.hexText + "\n")
    }

    static func bytes(hex: String) -> [UInt8]? {
        var out: [UInt8] = []
        var chars = hex.utf8.makeIterator()
        while let hi = chars.next() {
            guard let lo = chars.next(), let h = digit(hi), let l = digit(lo) else { return nil }
            out.append(h << 4 | l)
        }
        return out
    }

    static func digit(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 97...102: c - 87
        case 65...70: c - 55
        default: nil
        }
    }
}

/// Files only their owner may read (keys, checkpoints): created with mode 0600, appended without truncating.
enum PrivateTextFile {
    /// Creates `path` with `contents`; fails if it exists.
    static func create(_ path: String, contents: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw AuditKeyFileError("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try writeAll(fd, contents, path: path)
    }

    /// Appends a line to `path`, creating it 0600 if missing (O_APPEND: never rewrites what is there).
    static func append(_ path: String, line: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) }
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw AuditKeyFileError("cannot open \(path) to append: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try writeAll(fd, line + "\n", path: path)
        fsync(fd)
    }

    static func writeAll(_ fd: Int32, _ text: String, path: String) throws {
        let bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes[done...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw AuditKeyFileError("cannot write \(path): \(String(cString: strerror(errno)))") }
            done += n
        }
    }
}

/// A key or checkpoint file that cannot be used, with the file named in the message.
struct AuditKeyFileError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
