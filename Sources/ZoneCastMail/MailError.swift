/// Everything sending mail can refuse or run into, each case naming the field, command or server reply at fault.
/// Credentials never appear in a description: an AUTH step is named by its mechanism only.
public enum MailError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An address that is not a plain ASCII `local@domain` (`field` is "from", "to[1]", ...).
    case invalidAddress(field: String, value: String, reason: String)
    /// A header ZoneCast would have to write unsafely (a line break would let text inject headers) or may not write.
    case invalidHeader(name: String, value: String, reason: String)
    case invalidMessage(field: String, reason: String)
    case invalidConfiguration(field: String, value: String, reason: String)
    case connectionFailed(host: String, port: Int, reason: String)
    case timedOut(command: String, seconds: Double)
    /// The server answered `command` with a reply other than the one that lets the session go on.
    case rejected(command: String, reply: SMTPReply)
    case malformedReply(command: String, line: String)
    case connectionClosed(command: String)
    /// Credentials are configured but the server offers neither PLAIN nor LOGIN (`offered`: what it listed).
    case authenticationUnavailable(offered: String)
    /// Credentials would cross the network in clear text: no STARTTLS here, so AUTH is refused to a host that is not
    /// loopback unless the configuration says `allowPlainAuthentication`.
    case plainAuthenticationRefused(host: String)

    public var description: String {
        switch self {
        case .invalidAddress(let f, let v, let r): "\(f) \"\(v)\" is not a usable e-mail address: \(r)"
        case .invalidHeader(let n, let v, let r): "header \(n) \"\(v)\": \(r)"
        case .invalidMessage(let f, let r): "message \(f): \(r)"
        case .invalidConfiguration(let f, let v, let r): "SMTP setting \(f) \"\(v)\": \(r)"
        case .connectionFailed(let h, let p, let r): "cannot connect to the SMTP server \(h):\(p): \(r)"
        case .timedOut(let c, let s): "the SMTP server did not answer \(c) within \(FixedSeconds.text(s)) s"
        case .rejected(let c, let reply): "the SMTP server refused \(c): \(reply.text)"
        case .malformedReply(let c, let l): "the SMTP server's reply to \(c) is not an SMTP reply: \"\(l.prefix(200))\""
        case .connectionClosed(let c): "the SMTP server closed the connection before answering \(c)"
        case .authenticationUnavailable(let o):
            "credentials are configured but the SMTP server offers no AUTH mechanism ZoneCast speaks (PLAIN, LOGIN); it offers: \(o.isEmpty ? "none" : o)"
        case .plainAuthenticationRefused(let h):
            "refusing to send credentials to \(h) over a connection without TLS (ZoneCast does not speak STARTTLS); use a relay on loopback, "
                + "or set allow_plain_auth=1 if the network path is trusted"
        }
    }
}

enum FixedSeconds {
    static func text(_ s: Double) -> String { s == s.rounded() ? String(Int(s)) : String(s) }
}
