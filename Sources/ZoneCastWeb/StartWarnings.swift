import Foundation

extension WebConfiguration {
    /// Whether `host` only accepts connections from this machine (127.0.0.0/8, ::1, localhost).
    public static func isLoopback(_ host: String) -> Bool {
        let h = host.trimmingCharacters(in: .whitespaces).lowercased()
        guard !h.isEmpty else { return false }
        if h == "localhost" || h == "::1" || h == "[::1]" { return true }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// What `zonecast serve` warns about at start. The server speaks plain HTTP: on an address other machines can
    /// reach, passwords and session cookies cross the network in clear unless a TLS proxy terminates in front and
    /// the cookies are marked Secure (`--secure-cookies`), so a cookie never leaves over plain HTTP.
    public var startWarnings: [String] {
        var out: [String] = []
        if !Self.isLoopback(host) && !secureCookies {
            out.append("warning: listening on \(host), which other machines can reach, over plain HTTP without --secure-cookies: "
                       + "passwords and session cookies would cross the network unencrypted. Put a TLS reverse proxy in front and add "
                       + "--secure-cookies (and --trusted-proxy with the proxy's address), or keep the loopback default --host 127.0.0.1.")
        }
        return out
    }
}
