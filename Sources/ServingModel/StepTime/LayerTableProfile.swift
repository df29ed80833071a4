import Foundation

/// A performance profile made from measured per-layer GPU timings (e.g. vLLM's layer profiler),
/// written by `servesim profile import` and read by pools with `performance: { model: "profile" }`.
///
/// ## File format (JSON, `kind: "layer-tables"`, all times in seconds)
/// ```
/// { "version": 1, "kind": "layer-tables", "source": "imported", "gpu": "RTXPRO6000",
///   "model": "llama-3.1-8b", "layers": 32,
///   "dense": [ { "tokens": 1, "seconds": 0.0101 }, ... ],          // all dense ops of all layers,
///                                                                  // plus embedding and final norm
///   "perSequence": [ { "sequences": 1, "seconds": 0.00074 }, ... ], // lm_head + sampler
///   "decodeAttention": { "constant", "perContextToken", "perSequence", "r2", "maxRelativeResidual" },
///   "prefillAttention": { "constant", "perPair", "perToken", "r2", "maxRelativeResidual" },
///                                 // ONE layer each, fitted to decode-only and prefill-only rows
///   "stepOverhead": 0.0,          // CPU-side per-step cost not in the tables
///   "kvCapacityTokens": 41408,    // optional
///   "roofline": { "computeEfficiency", "memoryEfficiency", "peakFlops", "memoryBandwidth",
///                 "denseR2" }     // optional: the roofline fitted to the same tables
/// }
/// ```
/// Step time = dense(T) + perSequence(N) + layers x attention + stepOverhead, with T the tokens
/// in the step (prefill chunks plus one per decoding sequence), N the sequences producing logits,
/// and dense and perSequence interpolated linearly between measured points (extrapolated along
/// the last segment). Attention per layer is the decode part (linear in the batch's context and
/// its sequences) plus the prefill part (linear in token pairs and tokens), each present only when
/// the step has such work; a decode-only step is `constant(B) + slope * S`: the jump-ahead form.
public struct LayerTableProfile: Codable, Sendable, Equatable {
    public struct Point: Codable, Sendable, Equatable {
        public var x: Double
        public var seconds: Double
        public init(x: Double, seconds: Double) { self.x = x; self.seconds = seconds }
    }
    /// Decode attention of one layer: constant + perContextToken * S + perSequence * B.
    public struct DecodeAttention: Codable, Sendable, Equatable {
        public var constant: Double
        public var perContextToken: Double
        public var perSequence: Double
        public var r2: Double
        public var maxRelativeResidual: Double

        package init(constant: Double, perContextToken: Double, perSequence: Double, r2: Double, maxRelativeResidual: Double) {
            self.constant = constant
            self.perContextToken = perContextToken
            self.perSequence = perSequence
            self.r2 = r2
            self.maxRelativeResidual = maxRelativeResidual
        }
    }
    /// Prefill attention of one layer: constant + perPair * pairs + perToken * tokens.
    public struct PrefillAttention: Codable, Sendable, Equatable {
        public var constant: Double
        public var perPair: Double
        public var perToken: Double
        public var r2: Double
        public var maxRelativeResidual: Double

        package init(constant: Double, perPair: Double, perToken: Double, r2: Double, maxRelativeResidual: Double) {
            self.constant = constant
            self.perPair = perPair
            self.perToken = perToken
            self.r2 = r2
            self.maxRelativeResidual = maxRelativeResidual
        }
    }
    public struct RooflineFit: Codable, Sendable, Equatable {
        public var computeEfficiency: Double
        public var memoryEfficiency: Double
        public var peakFlops: Double
        public var memoryBandwidth: Double
        /// R^2 of the fitted roofline against the measured dense table.
        public var denseR2: Double

        package init(computeEfficiency: Double, memoryEfficiency: Double, peakFlops: Double, memoryBandwidth: Double, denseR2: Double) {
            self.computeEfficiency = computeEfficiency
            self.memoryEfficiency = memoryEfficiency
            self.peakFlops = peakFlops
            self.memoryBandwidth = memoryBandwidth
            self.denseR2 = denseR2
        }
    }

    public var version = 1
    public var kind = "layer-tables"
    public var source = "imported"
    public var gpu: String
    public var model: String
    public var layers: Int
    /// Dense time of the whole model vs batched tokens (`x` = tokens).
    public var dense: [Point]
    /// lm_head + sampler vs sequences (`x` = sequences).
    public var perSequence: [Point]
    public var decodeAttention: DecodeAttention
    public var prefillAttention: PrefillAttention
    public var stepOverhead: Double
    public var kvCapacityTokens: Int?
    public var roofline: RooflineFit?

    /// Writes the profile as JSON with sorted keys, atomically.
    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try AtomicFile.write(encoder.encode(self), to: path)
    }

    public static func decode(_ data: Data, file: String) throws -> LayerTableProfile {
        do {
            let profile = try JSONDecoder().decode(LayerTableProfile.self, from: data)
            guard profile.kind == "layer-tables", !profile.dense.isEmpty, !profile.perSequence.isEmpty, profile.layers > 0 else {
                throw InputError(file: file, path: "dense", "a layer-tables profile needs dense, perSequence and layers > 0")
            }
            return profile
        } catch let e as InputError {
            throw e
        } catch {
            throw InputError(file: file, "is not a layer-tables profile: \(error)")
        }
    }

    package init(gpu: String, model: String, layers: Int, dense: [Point], perSequence: [Point], decodeAttention: DecodeAttention, prefillAttention: PrefillAttention, stepOverhead: Double, kvCapacityTokens: Int? = nil, roofline: RooflineFit? = nil) {
        self.gpu = gpu
        self.model = model
        self.layers = layers
        self.dense = dense
        self.perSequence = perSequence
        self.decodeAttention = decodeAttention
        self.prefillAttention = prefillAttention
        self.stepOverhead = stepOverhead
        self.kvCapacityTokens = kvCapacityTokens
        self.roofline = roofline
    }
}

/// Piecewise-linear interpolation over points sorted by `x`; constant below the first point,
/// extended along the last segment above the last. Binary search for the segment.
@inline(__always)
func interpolate(_ points: [LayerTableProfile.Point], at x: Double) -> Double {
    guard let first = points.first else { return 0 }
    if x <= first.x || points.count == 1 { return first.seconds }
    // The first point at or beyond x (the last one when x is past the end).
    var lo = 1, hi = points.count - 1
    while lo < hi {
        let mid = (lo + hi) >> 1
        if points[mid].x < x { lo = mid + 1 } else { hi = mid }
    }
    let a = points[lo - 1], b = points[lo]
    return a.seconds + (b.seconds - a.seconds) * (x - a.x) / (b.x - a.x)
}

/// The step-time model of a `LayerTableProfile`.
///
/// Speed: the interpolated tables are also kept by whole token and sequence count up to
/// `directTokens` and `directSequences` (the same values `interpolate` gives), so a step costs two
/// array reads rather than two binary searches.
public struct LayerTableStepModel: StepTimeModel, Equatable {
    public let profile: LayerTableProfile
    private let denseByTokens: [Double]
    private let perSequenceByCount: [Double]
    static let directTokens = 16384, directSequences = 4096

    public init(profile: LayerTableProfile) {
        self.profile = profile
        denseByTokens = (0...Self.directTokens).map { interpolate(profile.dense, at: Double($0)) }
        perSequenceByCount = (0...Self.directSequences).map { interpolate(profile.perSequence, at: Double($0)) }
    }

    public static func == (a: LayerTableStepModel, b: LayerTableStepModel) -> Bool { a.profile == b.profile }

    @inline(__always) private func dense(_ tokens: Int) -> Double {
        tokens <= Self.directTokens ? denseByTokens[tokens] : interpolate(profile.dense, at: Double(tokens))
    }

    @inline(__always) private func perSequence(_ count: Int) -> Double {
        count <= Self.directSequences ? perSequenceByCount[count] : interpolate(profile.perSequence, at: Double(count))
    }

    public func stepTime(_ s: StepShape) -> Double {
        if s.prefillTokens == 0 && s.prefillSeqs == 0 {
            return decodeCost(batch: s.decodeSeqs).time(context: Double(s.decodeContext))
        }
        let d = profile.decodeAttention, p = profile.prefillAttention
        var attention = p.constant + p.perPair * s.prefillAttentionPairs + p.perToken * Double(s.prefillTokens)
        if s.decodeSeqs > 0 {
            attention += d.constant + d.perContextToken * Double(s.decodeContext) + d.perSequence * Double(s.decodeSeqs)
        }
        return dense(s.prefillTokens + s.decodeSeqs) + perSequence(s.prefillSeqs + s.decodeSeqs)
            + Double(profile.layers) * attention + profile.stepOverhead
    }

    public func decodeCost(batch: Int) -> DecodeCost {
        let d = profile.decodeAttention, b = Double(batch), layers = Double(profile.layers)
        let constant = dense(batch) + perSequence(batch)
            + layers * (d.constant + d.perSequence * b) + profile.stepOverhead
        return DecodeCost(a: constant, b: layers * d.perContextToken)
    }
}
