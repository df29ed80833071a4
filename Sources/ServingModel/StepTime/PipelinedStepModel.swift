/// A step-time model with an engine's CPU work per step (`EnginePipeline`): added to every step
/// by a synchronous engine; overlapped with the next step under async scheduling, where a step
/// then lasts `max(GPU time, CPU time)`.
///
/// Decode-only steps stay in the jump-ahead form: synchronous adds the CPU time to both lines of
/// `DecodeCost`; asynchronous makes it the cost's floor. (The engine applies the pipeline itself,
/// `EnginePipeline.stepTime` and `decodeCost`; this wrapper is for using a model standalone.)
public struct PipelinedStepModel: StepTimeModel {
    public let base: any StepTimeModel
    public let pipeline: EnginePipeline

    public init(base: any StepTimeModel, pipeline: EnginePipeline) {
        self.base = base
        self.pipeline = pipeline
    }

    public func stepTime(_ shape: StepShape) -> Double {
        pipeline.stepTime(gpu: base.stepTime(shape), sequences: shape.prefillSeqs + shape.decodeSeqs)
    }

    public func decodeCost(batch: Int) -> DecodeCost { pipeline.decodeCost(base.decodeCost(batch: batch), batch: batch) }
}
