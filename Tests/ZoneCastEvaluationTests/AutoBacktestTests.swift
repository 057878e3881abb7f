import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
@testable import ZoneCastEvaluation

/// A model flagging fixed cells (1 there, 0 elsewhere).
private struct ConstantModel: ForecastModel {
    var name: String
    var hot: Int
    func forecast(_ input: ForecastInput) throws -> ModelForecast {
        var v = [Double](repeating: 0, count: input.grid.cellCount)
        v[hot] = 1
        return ModelForecast(surface: RiskSurface(grid: input.grid, window: input.window, values: v))
    }
}

struct AutoBacktestTests {
    @Test("given auto in a backtest when it runs then every window records the option it selected, in the result and its JSON")
    func selectedPerWindow() async throws {
        let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 10, rows: 10)
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        var events = EventSet()
        var t = start.timeIntervalSince1970 - 200 * 86_400
        while t < start.timeIntervalSince1970 + 40 * 86_400 {
            events.append(x: 50, y: 50, time: t, precisionSeconds: 60, category: .aggravatedAssault)
            t += 86_400
        }
        let auto = AutoModel(options: [AutoModel.Option(label: "far", model: ConstantModel(name: "far", hot: 99)),
                                       AutoModel.Option(label: "near", model: ConstantModel(name: "near", hot: 0))],
                             validationWindows: 4, areaFractions: [0.01], areasKm2: [], trainingDays: 120)
        let config = try BacktestConfiguration(from: start, to: start.addingTimeInterval(40 * 86_400), cadenceHours: 96, trainingDays: 120,
                                               targets: [.aggravatedAssault], bootstrap: try WindowBootstrap(replicates: 50))
        var tick = 0.0
        let result = try Backtester(configuration: config).run(events: events, grid: grid, models: [ConstantModel(name: "naive", hot: 5), auto], clock: { tick += 1; return tick })
        let a = try #require(result.models.first { $0.model == "auto" })
        #expect(a.perWindow.count == 10)
        #expect(a.perWindow.allSatisfy { $0.selected == "near" })
        #expect(result.models[0].perWindow.allSatisfy { $0.selected == nil })
        #expect(a.selectionSummary == "near 10")
        #expect(a.budget(0.01)?.hitRate == 1)
        let json = String(decoding: try result.jsonData(), as: UTF8.self)
        #expect(json.contains("\"selected\" : \"near\""))
        #expect(try BacktestResult.decode(json: result.jsonData()) == result)
    }
}
