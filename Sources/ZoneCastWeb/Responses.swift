import Foundation
import HTTPTypes
import Hummingbird
import ZoneCastHTML

/// Pages may not load anything from elsewhere (closed networks, and no third party learns what is viewed); the
/// one script is served by the application itself.
let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; img-src 'self' data:; connect-src 'self'; "
    + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

/// A page: the only way to answer with HTML is from an `HTML` value, whose data was escaped on the way in.
func html(_ page: HTML, status: HTTPResponse.Status = .ok) -> Response {
    let headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: contentSecurityPolicy, .cacheControl: "no-store",
                               HTTPField.Name("X-Content-Type-Options")!: "nosniff", HTTPField.Name("Referrer-Policy")!: "no-referrer"]
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page.rendered)))
}

/// A JSON error or message, `{"error": "..."}` (the API's own responses are written by its generated code).
func json(_ object: [String: String], status: HTTPResponse.Status = .ok) -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let bytes = (try? encoder.encode(object)) ?? Data("{}".utf8)
    return Response(status: status, headers: jsonHeaders(contentType: "application/json"), body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
}

private func jsonHeaders(contentType: String) -> HTTPFields {
    [.contentType: contentType, .cacheControl: "no-store", HTTPField.Name("X-Content-Type-Options")!: "nosniff"]
}

func redirect(_ location: String) -> Response {
    Response(status: .seeOther, headers: [.location: location])
}

func cookie(_ name: String, _ value: String, env: WebEnvironment, maxAge: Int) -> Cookie {
    Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: env.configuration.secureCookies, httpOnly: true, sameSite: .strict)
}
