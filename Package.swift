// swift-tools-version:6.0
// ServeSim: a deterministic discrete-event simulator for LLM serving capacity and SLO planning.
// No package dependencies: Foundation from the toolchain, GSL and OpenBLAS as system libraries.
//
// The targets are the layers, and SwiftPM enforces that each depends only on those below it:
//
//   servesim (CLI) -> Workflows -> Reporting -> SimulationEngine -> ServingModel -> CGSL
//                       |  \-> ScenarioFormat -------------------------^
//                       \-> TransformerKernel -> ServingModel
//
// ServeSim re-exports every layer for library users and the tests. ARCHITECTURE.md has the map.
import PackageDescription

/// Release builds of every ServeSim target skip overflow and bounds checks on the hot path.
let fast: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

/// Every layer, bottom up.
let layers: [Target.Dependency] = ["ServingModel", "ScenarioFormat", "SimulationEngine", "Reporting", "TransformerKernel",
                                   "Workflows"]

let package = Package(
    name: "ServeSim",
    products: [
        .executable(name: "servesim", targets: ["servesim"]),
        .library(name: "ServeSim", targets: ["ServeSim"]),
    ],
    targets: [
        // GSL + OpenBLAS (as the CBLAS). The module map links gsl then openblas and never
        // gslcblas, so cblas_* resolve to OpenBLAS.
        .systemLibrary(
            name: "CGSL",
            path: "Sources/CGSL",
            providers: [.apt(["libgsl-dev", "libopenblas-dev"])]
        ),
        // What is simulated: the typed scenario, hardware and model presets, step-time models,
        // distributions and random streams. Pure values and math; no I/O beyond profile decoding.
        .target(name: "ServingModel", dependencies: ["CGSL"], path: "Sources/ServingModel", swiftSettings: fast),
        // The scenario file format: JSON5 documents, field declarations, section readers, the
        // generated schema, overrides and variants, trace and profile files.
        .target(name: "ScenarioFormat", dependencies: ["ServingModel"], path: "Sources/ScenarioFormat",
                swiftSettings: fast),
        // The discrete-event engine: the core loop and the features plugged into its seams; it
        // emits plain statistics (`SimulationResult`).
        .target(name: "SimulationEngine", dependencies: ["ServingModel"], path: "Sources/SimulationEngine",
                swiftSettings: fast),
        // Statistics into a report: the JSON contract, sections, Markdown, CSV and HTML renderers.
        .target(name: "Reporting", dependencies: ["ServingModel", "SimulationEngine"], path: "Sources/Reporting",
                swiftSettings: fast),
        // The real transformer forward pass on OpenBLAS (calibration and validation run it).
        .target(name: "TransformerKernel", dependencies: ["CGSL", "ServingModel"], path: "Sources/TransformerKernel",
                swiftSettings: fast),
        // What users run: run, replications, compare, sweep, plan, check, calibrate, validate.
        .target(name: "Workflows",
                dependencies: ["ServingModel", "ScenarioFormat", "SimulationEngine", "Reporting", "TransformerKernel"],
                path: "Sources/Workflows", swiftSettings: fast),
        // The library's one import.
        .target(name: "ServeSim", dependencies: layers, path: "Sources/ServeSim"),
        // The CLI: parse arguments, call a workflow, write files. No simulation logic of its own.
        // (Both name every layer as well as the umbrella: a change to a layer's types then rebuilds
        // them even in incremental builds, which do not see through `@_exported` re-exports.)
        .executableTarget(name: "servesim", dependencies: ["ServeSim"] + layers, path: "Sources/servesim"),
        .testTarget(name: "ServeSimTests", dependencies: ["ServeSim"] + layers, path: "Tests/ServeSimTests"),
    ]
)
