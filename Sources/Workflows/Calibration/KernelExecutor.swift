import ServingModel
import SimulationEngine
import TransformerKernel
import Foundation

/// Runs the scheduler's steps on the real transformer kernel (`StepExecutor`): prefill chunks and
/// decode tokens of the batch in one `TransformerKernel.step`, timed with the wall clock.
///
/// Token ids are arbitrary (a fixed pattern): timing does not depend on their values. Sequences
/// are keyed by the simulator's request slot, which is reused only after `release`.
public final class KernelExecutor: StepExecutor {
    public let kernel: TransformerKernel
    /// Wall seconds spent in steps, and the number of steps.
    public private(set) var busySeconds = 0.0
    public private(set) var steps = 0
    /// The step model whose predictions are summed into `predictedSeconds` (optional).
    public let model: (any StepTimeModel)?
    /// Seconds `model` predicts for the steps run so far.
    public private(set) var predictedSeconds = 0.0

    public init(kernel: TransformerKernel, model: (any StepTimeModel)? = nil) {
        self.kernel = kernel
        self.model = model
    }

    /// The shape of a step's work, as the scheduler counts it.
    public static func shape(of work: [SequenceWork]) -> StepShape {
        var shape = StepShape()
        for w in work {
            if w.isDecode {
                shape.decodeSeqs += 1
                shape.decodeContext += w.cachedTokens
            } else {
                shape.prefillSeqs += 1
                shape.prefillTokens += w.newTokens
                shape.prefillAttentionPairs += StepShape.attentionPairs(chunk: w.newTokens, cached: w.cachedTokens)
            }
        }
        return shape
    }

    public func execute(_ work: [SequenceWork]) -> Double {
        let vocab = Int32(kernel.config.vocab)
        var prefill: [(seqId: Int, tokens: [Int32])] = []
        var decode: [(seqId: Int, token: Int32)] = []
        for w in work {
            if w.isDecode {
                decode.append((w.sequence, Int32((w.cachedTokens * 31 + 7) % Int(vocab))))
            } else {
                prefill.append((w.sequence, (0..<w.newTokens).map { Int32((w.cachedTokens + $0) * 17 % Int(vocab)) }))
            }
        }
        let start = ContinuousClock.now
        _ = kernel.step(prefill: prefill, decode: decode)
        let seconds = (ContinuousClock.now - start).inSeconds
        busySeconds += seconds
        steps += 1
        if let model { predictedSeconds += model.stepTime(Self.shape(of: work)) }
        return seconds
    }

    public func release(sequence: Int) { kernel.release(seqId: sequence) }
}
