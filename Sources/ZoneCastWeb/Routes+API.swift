import Foundation
import Hummingbird
import ZoneCastCore
import ZoneCastAPI

/// The JSON API: the same data as the pages, for integrations (records systems, dashboards, GIS). Its contract is
/// Sources/ZoneCastAPI/openapi.yaml; the code generated from it decodes requests and encodes responses, and
/// `APIHandlers` (API/) implements its operations. Callers authenticate with a session cookie or
/// `Authorization: Bearer zc_<id>_<secret>` and get their account's role; each operation is registered on a route
/// group of its permission (`APIOperations.access`); errors are JSON (`{"error": "..."}`). Every read of zone
/// locations is in the audit log (with the token id when a token was used).
func addAPIRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    do {
        try APIHandlers(env: env).registerHandlers(on: APIRouteTransport(router: router, env: env), configuration: APIOperations.configuration)
    } catch {
        // Only an operation missing from APIOperations.access, or a bad server URL in the document: a programming
        // error that every test run finds.
        preconditionFailure("the API's routes could not be registered: \(error)")
    }
}

func iso(_ d: Date) -> String { DateTexts.shared.iso8601(d) }
