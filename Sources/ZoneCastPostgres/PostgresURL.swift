import Foundation
public import PostgresNIO
public import ZoneCastOperations
import ZoneCastStore

/// Where a `PostgresIncidentStore` connects, parsed from a libpq-style URL:
///
///     postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable&schema=NAME&pool_size=4&connect_timeout=10]
///     postgres://USER@%2Fvar%2Frun%2Fpostgresql/DATABASE          (a Unix socket directory, percent-encoded)
///     postgres://USER@/DATABASE?host=/var/run/postgresql            (the same, libpq's spelling)
///
/// `postgresql://` is accepted too. A socket host is a directory holding `.s.PGSQL.PORT` (or the socket file
/// itself). Without a password in the URL, `PGPASSWORD` is used when set; without a user, `PGUSER`, else `USER`,
/// both from the `environment` the caller passes (the command line's, read once at its edge). `sslmode` is
/// `disable`, `prefer` (the default, as libpq), `require` (encrypted, certificate not checked, as libpq),
/// `verify-ca` or `verify-full`.
/// `schema` puts ZoneCast's tables in that schema (created if missing) instead of the user's default.
public struct PostgresStoreURL: Sendable, CustomStringConvertible {
    public enum Endpoint: Sendable, Hashable {
        case tcp(host: String, port: Int)
        case unixSocket(path: String)
    }

    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var endpoint: Endpoint
    public var username: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    public var schema: String?
    public var poolSize: Int
    public var connectTimeoutSeconds: Int64
    public var applicationName: String

    public init(_ string: String, environment: [String: String]) throws {
        func bad(_ why: String) -> StoreError { .database("not a PostgreSQL URL (\(why)): \(Self.redacted(string))") }
        var rest = Substring(string)
        guard let schemeEnd = rest.range(of: "://") else { throw bad("expected postgres://") }
        guard ["postgres", "postgresql"].contains(rest[..<schemeEnd.lowerBound].lowercased()) else { throw bad("expected postgres://") }
        rest = rest[schemeEnd.upperBound...]

        var query: [String: String] = [:]
        if let q = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: q)...].split(separator: "&") where !pair.isEmpty {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                query[Self.decode(parts[0])] = parts.count > 1 ? Self.decode(parts[1]) : ""
            }
            rest = rest[..<q]
        }
        let authority: Substring, path: Substring
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            path = rest[rest.index(after: slash)...]
        } else {
            authority = rest
            path = ""
        }
        var hostPort = authority
        var user: String?
        if let at = authority.lastIndex(of: "@") {
            let info = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
            if let colon = info.firstIndex(of: ":") {
                user = Self.decode(info[..<colon])
                password = Self.decode(info[info.index(after: colon)...])
            } else {
                user = Self.decode(info)
            }
        }
        var host: String
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw bad("unclosed [ in the host") }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = Self.decode(hostPort[..<colon])
            portText = hostPort[hostPort.index(after: colon)...]
        } else {
            host = Self.decode(hostPort)
        }
        if let h = query["host"], !h.isEmpty { host = h }
        var port = 5432
        if let p = query["port"].map({ Substring($0) }) ?? portText, !p.isEmpty {
            guard let n = Int(p), (1...65_535).contains(n) else { throw bad("port \(p)") }
            port = n
        }
        if host.hasPrefix("/") {
            var isDirectory: ObjCBool = false
            let isDir = FileManager.default.fileExists(atPath: host, isDirectory: &isDirectory) && isDirectory.boolValue
            endpoint = .unixSocket(path: isDir || !host.contains(".s.PGSQL.") ? "\(host)/.s.PGSQL.\(port)" : host)
        } else {
            endpoint = .tcp(host: host.isEmpty ? "127.0.0.1" : host, port: port)
        }
        username = query["user"] ?? user ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        if let p = query["password"] { password = p }
        if password == nil { password = environment["PGPASSWORD"] }
        let db = Self.decode(path)
        database = query["dbname"] ?? (db.isEmpty ? username : db)
        let mode = query["sslmode"] ?? "prefer"
        guard let sslMode = SSLMode(rawValue: mode) else { throw bad("sslmode \(mode)") }
        self.sslMode = sslMode
        schema = query["schema"].flatMap { $0.isEmpty ? nil : $0 }
        if let schema { try Self.checkIdentifier(schema) }
        poolSize = try query["pool_size"].map { v in
            guard let n = Int(v), n >= 1 else { throw bad("pool_size \(v)") }
            return n
        } ?? 4
        connectTimeoutSeconds = try query["connect_timeout"].map { v in
            guard let n = Int64(v), n >= 1 else { throw bad("connect_timeout \(v)") }
            return n
        } ?? 10
        applicationName = query["application_name"] ?? "zonecast"
    }

    /// The URL without its password, for messages and logs.
    public var description: String {
        let where_: String
        switch endpoint {
        case .tcp(let host, let port): where_ = "\(host.contains(":") ? "[\(host)]" : host):\(port)"
        case .unixSocket(let path): where_ = path
        }
        return "postgres://\(username)@\(where_)/\(database)"
    }

    /// PostgresNIO's client (pool) configuration for this URL: the same endpoint, TLS and startup parameters, at most
    /// `poolSize` connections.
    public func clientConfiguration() throws -> PostgresClient.Configuration {
        var config: PostgresClient.Configuration
        switch endpoint {
        case .unixSocket(let path):
            config = .init(unixSocketPath: path, username: username, password: password, database: database)
        case .tcp(let host, let port):
            config = .init(host: host, port: port, username: username, password: password, database: database, tls: tls())
        }
        config.options.connectTimeout = .seconds(connectTimeoutSeconds)
        config.options.additionalStartupParameters = startupParameters
        config.options.maximumConnections = max(1, poolSize)
        return config
    }

    /// One connection's configuration for this URL (the same endpoint, TLS and startup parameters as the pool's): the
    /// store opens one first, so a wrong address or password fails at once with the server's answer (the pool would
    /// retry in the background until its circuit breaker gives up).
    public func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var config: PostgresConnection.Configuration
        switch endpoint {
        case .unixSocket(let path):
            config = .init(unixSocketPath: path, username: username, password: password, database: database)
        case .tcp(let host, let port):
            let (use, settings) = tlsSettings()
            let tls: PostgresConnection.Configuration.TLS = switch use {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: settings))
            case .require: .require(try NIOSSLContext(configuration: settings))
            }
            config = .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
        }
        config.options.connectTimeout = .seconds(connectTimeoutSeconds)
        config.options.additionalStartupParameters = startupParameters
        return config
    }

    private var startupParameters: [(String, String)] {
        var parameters: [(String, String)] = [("application_name", applicationName), ("TimeZone", "UTC")]
        if let schema { parameters.append(("search_path", schema)) }
        return parameters
    }

    private func tls() -> PostgresClient.Configuration.TLS {
        let (use, settings) = tlsSettings()
        switch use {
        case .disable: return .disable
        case .prefer: return .prefer(settings)
        case .require: return .require(settings)
        }
    }

    private enum TLSUse { case disable, prefer, require }

    private func tlsSettings() -> (TLSUse, TLSConfiguration) {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable: return (.disable, tls)
        case .allow, .prefer:
            tls.certificateVerification = .none
            return (.prefer, tls)
        case .require:
            tls.certificateVerification = .none
            return (.require, tls)
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
            return (.require, tls)
        case .verifyFull:
            return (.require, tls)
        }
    }

    /// Schema names are used unquoted in SQL and in `search_path`: lower-case letters, digits and underscores.
    static func checkIdentifier(_ name: String) throws {
        let ok = !name.isEmpty && name.count <= 63 && name.utf8.allSatisfy { c in
            (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F
        } && !(name.utf8.first.map { $0 >= 0x30 && $0 <= 0x39 } ?? true)
        guard ok else { throw StoreError.database("schema name \"\(name)\": use lower-case letters, digits and _ (not first)") }
    }

    private static func decode<S: StringProtocol>(_ s: S) -> String { String(s).removingPercentEncoding ?? String(s) }

    /// The URL with any password replaced, for error messages about the URL itself.
    public static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].lastIndex(of: "@") else { return url }
        let info = url[scheme.upperBound..<at]
        guard let colon = info.firstIndex(of: ":") else { return url }
        return url.replacingCharacters(in: info.index(after: colon)..<at, with: "***")
    }
}

extension PostgresIncidentStore {
    /// Connects to the database a URL names (see `PostgresStoreURL`) and migrates it.
    /// - Parameters:
    ///   - environment: gives `PGUSER`, `USER` and `PGPASSWORD` where the URL leaves them out: the caller's (the
    ///     command line passes its process environment, read once; a test its own), never read here.
    ///   - schema: overrides the URL's `schema`: ZoneCast's tables live there (created if missing).
    ///   - eventLoopGroup: the event loops for the connections; by default two threads shared by every store.
    ///   - migrate: apply pending migrations on open (the default); without, `migrate()` can be called later.
    ///   - auditKey: the audit chain's HMAC key; the first open with a key records that entries from the next one on
    ///     are keyed, later opens must pass the same key (see the SQLite store).
    public convenience init(url: String, environment: [String: String], schema: String? = nil, eventLoopGroup: (any EventLoopGroup)? = nil,
                            migrate: Bool = true, auditKey: AuditKey? = nil) async throws {
        var parsed = try PostgresStoreURL(url, environment: environment)
        if let schema {
            try PostgresStoreURL.checkIdentifier(schema)
            parsed.schema = schema
        }
        try await self.init(parsed, eventLoopGroup: eventLoopGroup, migrate: migrate, auditKey: auditKey)
    }
}
