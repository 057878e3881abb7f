import CXGBoost
import Foundation

/// A minimal, safe wrapper of XGBoost's C API (Chen & Guestrin 2016, "XGBoost: a scalable tree boosting system",
/// KDD; Debian's libxgboost-dev 1.7): dense float matrices, a booster trained one round at a time with an
/// evaluation set, predictions and gain importance. Handles are freed by `deinit`. Every call is checked and a
/// failure throws with XGBoost's own message.
enum XGBoost {
    struct Failure: Error, CustomStringConvertible {
        var call: String
        var message: String
        var description: String { "xgboost \(call): \(message)" }
    }

    @inline(__always)
    static func check(_ status: Int32, _ call: String) throws {
        if status != 0 { throw Failure(call: call, message: String(cString: XGBGetLastError())) }
    }

    /// Library version, e.g. "1.7.4" (from the build information XGBoost reports).
    static var version: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        XGBoostVersion(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }

    /// A dense matrix, row-major, with labels and weights.
    final class Matrix {
        let handle: DMatrixHandle

        init(values: [Float], rows: Int, columns: Int, labels: [Float]? = nil, weights: [Float]? = nil, names: [String]? = nil) throws {
            precondition(values.count == rows * columns, "rows x columns values")
            var h: DMatrixHandle?
            try values.withUnsafeBufferPointer { p in
                try check(XGDMatrixCreateFromMat_omp(p.baseAddress, bst_ulong(rows), bst_ulong(columns), Float.nan, &h, 1), "XGDMatrixCreateFromMat")
            }
            handle = h!
            if let labels { try set("label", labels) }
            if let weights { try set("weight", weights) }
            if let names {
                let cStrings = names.map { strdup($0) }
                defer { for c in cStrings { free(c) } }
                var pointers: [UnsafePointer<CChar>?] = cStrings.map { UnsafePointer($0) }
                try check(XGDMatrixSetStrFeatureInfo(handle, "feature_name", &pointers, bst_ulong(names.count)), "XGDMatrixSetStrFeatureInfo")
            }
        }

        private func set(_ field: String, _ values: [Float]) throws {
            try values.withUnsafeBufferPointer { p in
                try check(XGDMatrixSetFloatInfo(handle, field, p.baseAddress, bst_ulong(values.count)), "XGDMatrixSetFloatInfo(\(field))")
            }
        }

        deinit { XGDMatrixFree(handle) }
    }

    final class Booster {
        let handle: BoosterHandle

        init(training: Matrix, evaluation: Matrix?, parameters: [(String, String)]) throws {
            var h: BoosterHandle?
            var mats: [DMatrixHandle?] = [training.handle]
            if let evaluation { mats.append(evaluation.handle) }
            try check(XGBoosterCreate(&mats, bst_ulong(mats.count), &h), "XGBoosterCreate")
            handle = h!
            for (k, v) in parameters { try check(XGBoosterSetParam(handle, k, v), "XGBoosterSetParam(\(k))") }
        }

        func update(iteration: Int, _ training: Matrix) throws {
            try check(XGBoosterUpdateOneIter(handle, Int32(iteration), training.handle), "XGBoosterUpdateOneIter")
        }

        /// The first metric's value on `matrix` after round `iteration` (parsed from "[i]\tname-metric:value").
        func evaluate(iteration: Int, _ matrix: Matrix, name: String = "valid") throws -> Double {
            var mats: [DMatrixHandle?] = [matrix.handle]
            var out: UnsafePointer<CChar>?
            try name.withCString { n in
                var names: [UnsafePointer<CChar>?] = [n]
                try check(XGBoosterEvalOneIter(handle, Int32(iteration), &mats, &names, 1, &out), "XGBoosterEvalOneIter")
            }
            let text = String(cString: out!)
            guard let colon = text.lastIndex(of: ":"), let v = Double(text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)) else {
                throw Failure(call: "XGBoosterEvalOneIter", message: "unreadable evaluation \"\(text)\"")
            }
            return v
        }

        /// Predictions (the response scale: expected counts for count:poisson) from the first `trees` trees (0: all).
        func predict(_ matrix: Matrix, trees: Int = 0) throws -> [Float] {
            var length: bst_ulong = 0
            var out: UnsafePointer<Float>?
            try check(XGBoosterPredict(handle, matrix.handle, 0, UInt32(trees), 0, &length, &out), "XGBoosterPredict")
            return Array(UnsafeBufferPointer(start: out, count: Int(length)))
        }

        /// Per row, each feature's contribution to the margin (log E[y] for count:poisson) from the first `trees` trees,
        /// by TreeSHAP (Lundberg et al. 2020), with the bias last: rows x (features + 1) values, each row summing to the
        /// row's margin.
        func contributions(_ matrix: Matrix, trees: Int = 0) throws -> [Float] {
            var length: bst_ulong = 0
            var out: UnsafePointer<Float>?
            try check(XGBoosterPredict(handle, matrix.handle, 4, UInt32(trees), 0, &length, &out), "XGBoosterPredict(contributions)")
            return Array(UnsafeBufferPointer(start: out, count: Int(length)))
        }

        /// Total gain of the splits on each feature (features never split on are absent).
        func totalGain() throws -> [String: Double] {
            var nFeatures: bst_ulong = 0, dim: bst_ulong = 0
            var features: UnsafeMutablePointer<UnsafePointer<CChar>?>?
            var shape: UnsafePointer<bst_ulong>?
            var scores: UnsafePointer<Float>?
            try check(XGBoosterFeatureScore(handle, "{\"importance_type\": \"total_gain\"}", &nFeatures, &features, &dim, &shape, &scores),
                      "XGBoosterFeatureScore")
            var out: [String: Double] = [:]
            for i in 0..<Int(nFeatures) {
                guard let f = features?[i] else { continue }
                out[String(cString: f)] = Double(scores![i])
            }
            return out
        }

        deinit { XGBoosterFree(handle) }
    }
}
