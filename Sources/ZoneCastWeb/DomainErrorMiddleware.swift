import Hummingbird
import ZoneCastAccess
import ZoneCastCore
import ZoneCastForecast
import ZoneCastMaps
import ZoneCastOversight
import ZoneCastPlanning
import ZoneCastStore
import ZoneCastStreets

extension WebError {
    /// The web's one mapping of the lower modules' errors to what a caller is told. Input the caller can correct is
    /// a 400 naming the field and value (the modules' own words); a state of the data the caller cannot change by
    /// resending (no jurisdiction yet, nothing to forecast from) is a 409. Anything else stays a fault (500, logged).
    init?(domain error: any Error) {
        switch error {
        case let e as PlanningInputError: self = .invalid(e.field, e.value, e.reason)
        case let e as OversightInputError: self.init(.badRequest, e.description)
        case let e as EquityError: self.init(.badRequest, e.description)
        case let e as AccessError: self.init(.badRequest, e.description)
        case let e as MapError: self.init(.badRequest, e.description)
        case let e as StreetsError: self.init(.badRequest, e.description)
        case let e as CoreError:
            switch e {
            case .invalidSetting, .invalidGeoJSON, .unknownCategory, .invalidHarmWeight, .invalidHarmWeights: self.init(.badRequest, e.description)
            default: return nil
            }
        case let e as ForecastError:
            switch e {
            case .noTrainingData, .emptyGrid: self.init(.conflict, e.description)
            case .unknownModel, .invalidSetting, .invalidParameter: self.init(.badRequest, e.description)
            default: return nil
            }
        case let e as ProposalService.ProposalError:
            switch e {
            case .noJurisdiction, .noIncidents: self.init(.conflict, e.description)
            default: return nil
            }
        case let e as StoreError:
            switch e {
            case .noJurisdiction, .jurisdictionMismatch: self.init(.conflict, e.description)
            case .invalidStreet: self.init(.badRequest, e.description)
            case .database, .corrupt: return nil
            }
        default: return nil
        }
    }
}

/// First on every page and API route group: a handler throws its module's error and this turns it into the one web
/// error type (a page or `{"error": ...}` by the group it was registered on), so no handler converts errors itself.
struct DomainErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let api: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as WebError {
            guard api, !error.api else { throw error }
            var json = error
            json.api = true
            throw json
        } catch {
            guard var web = WebError(domain: error) else { throw error }
            web.api = api
            throw web
        }
    }
}
