import ServingModel
import Foundation

/// Loads either kind of profile file: a kernel calibration (`CalibratedProfile`, fitted
/// coefficients) or imported per-layer tables (`LayerTableProfile`, `kind: "layer-tables"`).
public enum ProfileLoader {
    /// The step-time model of the profile at `path` and its KV capacity in tokens (when it has one).
    public static func load(path: String) throws -> (model: any StepTimeModel, kvCapacityTokens: Int?) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "cannot read the profile", allowed: "a file written by `servesim calibrate` or `servesim profile import`")
        }
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], object["kind"] as? String == "layer-tables" {
            let profile = try LayerTableProfile.decode(data, file: path)
            return (LayerTableStepModel(profile: profile), profile.kvCapacityTokens)
        }
        let profile = try CalibratedProfile.decode(data, file: path)
        return (ProfileStepModel(profile: profile), profile.kvCapacityTokens)
    }
}
