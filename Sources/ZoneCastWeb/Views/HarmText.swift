import Foundation

/// Forecast harm as the pages write it. Its scale depends on the city and the model: a big city's zone holds
/// hundreds of harm units, a sparse city's a few hundredths, and one decimal wrote every Los Angeles zone as 0.0.
enum HarmText {
    /// No decimal from 100 up, one from 1, and two significant digits below 1 (0.039, 0.0012); 0 is "0.0".
    static func amount(_ x: Double) -> String {
        guard x.isFinite else { return "–" }
        let size = abs(x)
        if size >= 100 { return String(format: "%.0f", x) }
        if size >= 1 || size == 0 { return String(format: "%.1f", x) }
        if size < 1e-6 { return x < 0 ? "> -0.000001" : "< 0.000001" }
        let decimals = 1 - Int(log10(size).rounded(.down))
        return String(format: "%.\(decimals)f", x)
    }
}
