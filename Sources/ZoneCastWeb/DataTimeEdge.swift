import Foundation
import Hummingbird
import ZoneCastCore
import ZoneCastHTML
import ZoneCastStore

/// The database's time for one request (issue #15): worked out once, at the edge, from the environment's clock and
/// the newest incident, with the jurisdiction's time zone for the banner. A live database runs at the clock; one
/// whose newest incident is older than `DataTime.staleAfterDaysDefault` days runs as an exercise at the data's own
/// "now" (`DataTime`). It reaches the pages' chrome as a task-local value set by `DataTimeMiddleware`, as
/// `MapRequest` does, because `Layout.page` is called from every handler and cannot ask the store itself; the
/// handlers that depend on time read it through `WebEnvironment.dataTime()` and pass the instant down explicitly.
struct RequestTime: Sendable {
    var dataTime: DataTime
    var timeZone: TimeZone

    @TaskLocal static var current: RequestTime?
}

extension WebEnvironment {
    /// The database's time for this request: the one `DataTimeMiddleware` worked out, or (outside a page request,
    /// e.g. the API or a test calling a helper directly) worked out now.
    func dataTime() async throws -> DataTime {
        if let t = RequestTime.current { return t.dataTime }
        return try await workOutDataTime()
    }

    /// From the clock and the newest incident. The newest incident comes from the store summary, which the
    /// dashboard cache keeps per data version (a new import batch changes it), so between imports this is two
    /// cached lookups, and the dashboard shares the one summary query an import costs.
    func workOutDataTime() async throws -> DataTime {
        let version = try await store.dataVersion()
        let newest = try await dashboard.summary(version: version) { try await store.summary() }.lastOccurredAt
        do {
            return try DataTime(clock: clock(), newestRecord: newest)
        } catch {
            // The default threshold is valid: `DataTime` throws only for a threshold that is not.
            throw WebError(.conflict, "the database's time could not be worked out: \(error)")
        }
    }
}

/// Sets `RequestTime.current` for page requests. The JSON API, the health check, metrics and static scripts do
/// without it (no page chrome); a store that cannot answer leaves it unset, and the handler's own store calls then
/// report the failure as they would have.
struct DataTimeMiddleware<Context: RequestContext>: RouterMiddleware {
    let env: WebEnvironment

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path.hasPrefix("/api/") || path.hasPrefix("/assets/") || path == "/health" || path == "/metrics" || path == MapScript.path {
            return try await next(request, context)
        }
        var time: RequestTime?
        if let dataTime = try? await env.workOutDataTime(), let tz = try? await env.timeZone() {
            time = RequestTime(dataTime: dataTime, timeZone: tz)
        }
        return try await RequestTime.$current.withValue(time) { try await next(request, context) }
    }
}

extension Layout {
    /// The banner every page shows in an exercise: when the data ends and that the times shown are the data's.
    static func exerciseBanner(_ time: RequestTime?) -> HTML? {
        guard let time, time.dataTime.isExercise, let newest = time.dataTime.newestRecord else { return nil }
        let ends = PlainWords.dateTime(newest, timeZone: time.timeZone, zone: true)
        let days = Int((time.dataTime.clock.timeIntervalSince(newest) / 86_400).rounded(.down))
        return """
            <div class="exercise" id="exercise-banner" role="note"><strong>Exercise:</strong> data ends \(ends); times are the data's. \
            The newest incident is \(PlainWords.count(days, "day")) old, so ZoneCast runs at that time, not today: nothing shown is the \
            current situation.</div>
            """
    }
}
