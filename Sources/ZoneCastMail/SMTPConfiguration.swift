import Foundation

/// Where and how to reach the relay. Read once at the edge (the command line) and passed down.
///
/// From a URL: `smtp://[USER[:PASSWORD]@]HOST[:PORT][?helo=NAME&timeout=SECONDS&allow_plain_auth=1]` (port 25 by
/// default; user and password percent-decoded). There is no STARTTLS or implicit TLS: run a relay on the same host or
/// a trusted network. Credentials are sent only to a loopback host unless `allow_plain_auth=1`.
public struct SMTPConfiguration: Hashable, Sendable {
    public struct Credentials: Hashable, Sendable {
        public var username: String
        public var password: String
        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    public var host: String
    public var port: Int
    /// The name this client gives in EHLO/HELO (its own host name).
    public var heloName: String
    public var credentials: Credentials?
    public var allowPlainAuthentication: Bool
    public var connectTimeoutSeconds: Double
    /// How long the server may take to answer any one command.
    public var replyTimeoutSeconds: Double

    public init(host: String, port: Int = 25, heloName: String = "zonecast.localdomain", credentials: Credentials? = nil,
                allowPlainAuthentication: Bool = false, connectTimeoutSeconds: Double = 10, replyTimeoutSeconds: Double = 30) throws(MailError) {
        guard !host.isEmpty, host.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else {
            throw .invalidConfiguration(field: "host", value: host, reason: "expected a host name or address")
        }
        guard (1...65_535).contains(port) else { throw .invalidConfiguration(field: "port", value: String(port), reason: "expected 1 to 65535") }
        guard !heloName.isEmpty, heloName.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else {
            throw .invalidConfiguration(field: "helo", value: heloName, reason: "expected a host name without spaces")
        }
        for (field, s) in [("timeout", connectTimeoutSeconds), ("timeout", replyTimeoutSeconds)] where !(s.isFinite && s > 0 && s <= 600) {
            throw .invalidConfiguration(field: field, value: FixedSeconds.text(s), reason: "expected seconds above 0, at most 600")
        }
        self.host = host
        self.port = port
        self.heloName = heloName
        self.credentials = credentials
        self.allowPlainAuthentication = allowPlainAuthentication
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.replyTimeoutSeconds = replyTimeoutSeconds
    }

    /// Parses the URL form above; every refusal names the part and its value (the password is never repeated).
    public init(url text: String) throws(MailError) {
        guard let c = URLComponents(string: text), c.scheme?.lowercased() == "smtp" else {
            throw .invalidConfiguration(field: "url", value: Self.redacted(text), reason: "expected smtp://[user[:password]@]host[:port]")
        }
        guard let host = c.host, !host.isEmpty else { throw .invalidConfiguration(field: "host", value: "", reason: "the URL names no host") }
        var helo = "zonecast.localdomain", allowPlain = false, timeout = 30.0
        for item in c.queryItems ?? [] {
            let v = item.value ?? ""
            switch item.name {
            case "helo": helo = v
            case "allow_plain_auth":
                guard v == "1" || v == "0" else { throw .invalidConfiguration(field: "allow_plain_auth", value: v, reason: "expected 0 or 1") }
                allowPlain = v == "1"
            case "timeout":
                guard let s = Double(v) else { throw .invalidConfiguration(field: "timeout", value: v, reason: "expected seconds") }
                timeout = s
            default: throw .invalidConfiguration(field: item.name, value: v, reason: "unknown setting (known: helo, timeout, allow_plain_auth)")
            }
        }
        let credentials = c.user.map { Credentials(username: c.percentEncodedUser?.removingPercentEncoding ?? $0,
                                                   password: c.percentEncodedPassword?.removingPercentEncoding ?? "") }
        try self.init(host: host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host, port: c.port ?? 25, heloName: helo,
                      credentials: credentials, allowPlainAuthentication: allowPlain, connectTimeoutSeconds: min(timeout, 600),
                      replyTimeoutSeconds: timeout)
    }

    /// The URL with any password replaced by "***", for messages and logs.
    public static func redacted(_ text: String) -> String {
        guard var c = URLComponents(string: text), c.password != nil else { return text }
        c.password = "***"
        return c.string ?? "smtp://(unreadable)"
    }

    /// 127.0.0.0/8, ::1 and "localhost": where credentials in clear text do not cross a network.
    public var isLoopback: Bool {
        let h = host.lowercased()
        return h == "localhost" || h == "::1" || h.hasPrefix("127.")
    }
}
