import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
import ZoneCastStore
@testable import ZoneCastPlanning
import ZoneCastZoning

/// Which model a proposal forecasts with (issue #16): auto by default, recorded with its choice; the boosted
/// model's zones explained by the features that drove them; analyst static layers recorded for the replay.
@Suite("Proposal models: auto by default, boosted drivers, static layers", .serialized)
struct ProposalModelTests {
    /// The forecast input a proposal computes from, rebuilt from its provenance the way `ProposalService` does.
    static func input(of cycle: ZoneCycle, store: any IncidentStore) async throws -> ForecastInput {
        let p = cycle.provenance
        let city = try #require(try await store.jurisdiction())
        let incidents = try await store.incidents(IncidentQuery(occurredFrom: p.origin.addingTimeInterval(-p.trainingDays * 86_400),
                                                                occurredBefore: p.origin, includePoliceInitiated: false, includeRawRow: false))
            .filter { ($0.batchID ?? 0) <= p.latestBatchID && $0.occurredAt.addingTimeInterval(Double($0.occurredPrecision.intervalSeconds)) <= p.origin }
        return ForecastInput(history: EventSet(incidents, includePoliceInitiated: false),
                             grid: Grid.covering(city.boundary, projection: city.projection, cellSizeMeters: p.cellSizeMeters),
                             window: ForecastWindow(start: p.origin, hours: p.windowHours), targets: Set(p.targets), weights: p.weights)
    }

    @Test("given no model named, when proposing, then the proposal uses auto, records the option it selected and shows it; the map surface is the one the zones were chosen on")
    func autoIsTheDefault() async throws {
        let store = try await ProposalServiceTests.store()
        #expect(ProposalService().model == "auto")
        let cycle = try await ProposalService().propose(store: store, at: ProposalServiceTests.june1, id: "c-auto")
        let p = cycle.provenance
        #expect(p.model == "auto")
        let selected = try #require(p.selectedModel)
        let auto = try #require(try ProposalService.forecastModel(p) as? AutoModel)
        #expect(auto.options.contains { $0.label == selected })
        #expect(auto.trainingDays == p.trainingDays)  // inner windows keep the proposal's span
        #expect(p.modelShown == "auto (selected \(selected))")
        #expect(cycle.forecastParameters["auto.windows"] ?? 0 >= 1)
        // The surface recomputed for maps is the proposal's own: each zone's forecast is the sum of its cells there.
        let surface = try await ProposalService.surface(of: cycle, store: store)
        for z in cycle.zones {
            let sum = z.zone.cells.reduce(0) { $0 + surface.values[$1] }
            #expect(abs(sum - z.zone.value) <= 1e-9 * max(1, z.zone.value), "\(z.id): \(sum) against \(z.zone.value)")
        }
        // A model named explicitly is recorded without a selection.
        let harm = try await ProposalService(model: "harm").propose(store: store, at: ProposalServiceTests.june1, id: "c-harm")
        #expect(harm.provenance.model == "harm" && harm.provenance.selectedModel == nil && harm.provenance.modelShown == "harm")
    }

    @Test("given the boosted model and a static layer, when proposing, then each zone's explanation names its top features, the layer is recorded and read, and the replay is identical")
    func boostedDriversAndStaticLayers() async throws {
        let store = try await ProposalServiceTests.store()
        let city = try #require(try await store.jurisdiction())
        let projection = city.projection.prepared()
        // A few "shops" around the city's centre, as an analyst's GeoJSON would give them.
        let shops = BoostedTreesModel.StaticLayer(name: "shops", points: (0..<6).map { k in
            projection.project(GeoPoint(latitude: city.projectionOrigin.latitude + 0.004 * Double(k % 3), longitude: city.projectionOrigin.longitude + 0.005 * Double(k / 3)))
        })
        let service = ProposalService(model: "boosted", trainingDays: 180, staticLayers: [shops])
        let cycle = try await service.propose(store: store, at: ProposalServiceTests.june1, id: "c-boosted")
        #expect(cycle.provenance.staticLayers == [shops])
        #expect(!cycle.zones.isEmpty)
        // The contributions of the model the provenance names, asked independently zone by zone.
        let model = try #require(try ProposalService.forecastModel(cycle.provenance) as? BoostedTreesModel)
        #expect(model.staticLayers == [shops])
        let input = try await Self.input(of: cycle, store: store)
        var named = 0
        for z in cycle.zones {
            let contributions = try #require(try model.explain(input, cells: z.zone.cells).contributions)
            #expect(contributions.features.contains("static.shops.dist") && contributions.features.contains("static.shops.n"))
            let top = FeatureAttribution.top(contributions, zoneCells: z.zone.cells, cellSizeMeters: cycle.provenance.cellSizeMeters)
            guard !top.isEmpty else {
                #expect(!z.explanation.text.contains("In the boosted model"), "\(z.id) names drivers although none raised it")
                continue
            }
            named += 1
            #expect(z.explanation.text.contains("In the boosted model, the forecast here is raised most by"), "\(z.id): \(z.explanation.text)")
            for f in top { #expect(z.explanation.text.contains(f.description), "\(z.id) does not name \(f.description)") }
        }
        #expect(named > 0, "no zone of the boosted proposal had a feature that raised it")
        await #expect(try ProposalService.replay(cycle, store: store) == cycle)
    }

    @Test("given a static layer and a model that does not read it, when proposing, then the proposal is refused naming the layer and the model")
    func staticLayerWithoutBoostedIsRefused() async throws {
        let store = try await ProposalServiceTests.store()
        let layer = BoostedTreesModel.StaticLayer(name: "transit", points: [PlanarPoint(xMeters: 0, yMeters: 0)])
        await #expect {
            _ = try await ProposalService(model: "kde", staticLayers: [layer]).propose(store: store, at: ProposalServiceTests.june1, id: "c-x")
        } throws: { error in
            guard case ForecastError.invalidSetting(let message) = error else { return false }
            return message.contains("transit") && message.contains("kde")
        }
    }
}
