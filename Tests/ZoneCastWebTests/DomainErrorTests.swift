import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastForecast
import ZoneCastPlanning
import ZoneCastStore
@testable import ZoneCastWeb
import NIOFoundationEssentialsCompat

/// The one place domain errors become HTTP answers: a handler throws its module's error and the group's
/// `DomainErrorMiddleware` answers a page or JSON, by where the route was registered.
@Suite("Domain errors mapped once, by route group")
struct DomainErrorTests {
    /// Two groups with the same handlers, one registered as pages and one as API, as RouteGroups does.
    func app(throwing error: any Error & Sendable) -> some ApplicationProtocol {
        let router = Router()
        router.group("page").add(middleware: DomainErrorMiddleware(api: false)).get("x") { _, _ -> String in throw error }
        router.group("api").add(middleware: DomainErrorMiddleware(api: true)).get("x") { _, _ -> String in throw error }
        return Application(router: router)
    }

    @Test("given a handler throwing the planning module's input error, then a page says 400 with field and value, and the API the same as JSON")
    func inputErrorIsBadRequest() async throws {
        let error = PlanningInputError(field: "remove", value: "99999", reason: "no such cell in zone Z1")
        try await app(throwing: error).test(.router) { client in
            try await client.execute(uri: "/page/x", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(String(buffer: response.body).contains("remove &quot;99999&quot;: no such cell in zone Z1"))
            }
            try await client.execute(uri: "/api/x", method: .get) { response in
                #expect(response.status == .badRequest)
                let body = try JSONDecoder().decode([String: String].self, from: Data(buffer: response.body))
                #expect(body == ["error": "remove \"99999\": no such cell in zone Z1"])
            }
        }
    }

    @Test("given data the caller cannot fix by resending (no jurisdiction, nothing to train on), then 409 with the module's words")
    func dataStateIsConflict() async throws {
        try await app(throwing: StoreError.noJurisdiction).test(.router) { client in
            try await client.execute(uri: "/api/x", method: .get) { response in
                #expect(response.status == .conflict)
                #expect(String(buffer: response.body).contains("no jurisdiction"))
            }
        }
        try await app(throwing: ForecastError.emptyGrid).test(.router) { client in
            try await client.execute(uri: "/page/x", method: .get) { response in
                #expect(response.status == .conflict)
            }
        }
    }

    @Test("given a fault (a database error), then it is not dressed up as the caller's mistake: 500")
    func faultStaysServerError() async throws {
        try await app(throwing: StoreError.database("disk I/O error")).test(.router) { client in
            try await client.execute(uri: "/page/x", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(!String(buffer: response.body).contains("disk I/O"))
            }
        }
    }

    @Test("given a WebError thrown under an API group, then it answers JSON even if the handler did not say so")
    func webErrorFollowsItsGroup() async throws {
        try await app(throwing: WebError(.notFound, "no cycle C9")).test(.router) { client in
            try await client.execute(uri: "/api/x", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body) == #"{"error":"no cycle C9"}"#)
            }
            try await client.execute(uri: "/page/x", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            }
        }
    }
}
