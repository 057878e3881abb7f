import Foundation
public import HTTPTypes
public import Hummingbird

/// The web layer's one error type. Routes throw it; it renders itself as a page or as JSON, so a handler never
/// builds an error response by hand. Only this layer maps failures to HTTP statuses.
public struct WebError: Error, HTTPResponseError, CustomStringConvertible {
    public enum Kind: Sendable {
        case signInRequired, passwordChangeRequired, forbidden, notFound, badRequest, csrf, tooManyRequests, conflict, payloadTooLarge
        case unsupportedMediaType
    }

    public var kind: Kind
    public var message: String
    /// JSON for API routes, a page for the rest.
    public var api: Bool

    public init(_ kind: Kind, _ message: String, api: Bool = false) {
        self.kind = kind
        self.message = message
        self.api = api
    }

    public var description: String { message }

    /// The error page's heading.
    var title: String {
        switch kind {
        case .forbidden: "Not allowed"
        case .csrf: "Form expired"
        case .notFound: "Not found"
        case .badRequest: "Please check the form"
        case .tooManyRequests: "Too many requests"
        case .conflict: "Already changed"
        case .payloadTooLarge: "Too large"
        case .unsupportedMediaType: "Unsupported content type"
        case .signInRequired: "Sign in"
        case .passwordChangeRequired: "Choose a new password"
        }
    }

    public var status: HTTPResponse.Status {
        switch kind {
        case .signInRequired: .unauthorized
        case .forbidden, .csrf, .passwordChangeRequired: .forbidden
        case .notFound: .notFound
        case .badRequest: .badRequest
        case .tooManyRequests: .tooManyRequests
        case .conflict: .conflict
        case .payloadTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        if kind == .signInRequired && !api {
            return Response(status: .seeOther, headers: [.location: "/login"])
        }
        if kind == .passwordChangeRequired && !api {
            return Response(status: .seeOther, headers: [.location: "/account/password"])
        }
        if api {
            return json(["error": message], status: status)
        }
        return html(ErrorView.page(title: title, message: message), status: status)
    }
}

extension WebError {
    static func invalid(_ field: String, _ value: String, _ why: String) -> WebError {
        WebError(.badRequest, "\(field) \"\(value.prefix(80))\": \(why)")
    }
}
