// The ServeSim library: every layer re-exported, so `import ServeSim` gives the whole public API.
// No code of its own; see ARCHITECTURE.md for what each layer holds and which way they depend.
@_exported import ServingModel
@_exported import ScenarioFormat
@_exported import SimulationEngine
@_exported import Reporting
@_exported import TransformerKernel
@_exported import Workflows
