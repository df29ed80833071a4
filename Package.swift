// swift-tools-version:6.0
// ServeSim: a deterministic discrete-event simulator for LLM serving capacity and SLO planning.
// No package dependencies: Foundation from the toolchain, GSL and OpenBLAS as system libraries.
import PackageDescription

let package = Package(
    name: "ServeSim",
    products: [
        .executable(name: "servesim", targets: ["servesim"]),
        .library(name: "ServeSim", targets: ["ServeSim"]),
    ],
    targets: [
        // GSL + OpenBLAS (as the CBLAS). The module map links gsl then openblas and never
        // gslcblas, so cblas_* resolve to OpenBLAS (see DESIGN.md, "C-library pitfalls").
        .systemLibrary(
            name: "CGSL",
            path: "Sources/CGSL",
            providers: [.apt(["libgsl-dev", "libopenblas-dev"])]
        ),
        // The simulator: engine, workload, serving model, scenario format, metrics, report, kernel.
        .target(
            name: "ServeSim",
            dependencies: ["CGSL"],
            path: "Sources/ServeSim",
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
        ),
        // The CLI: parse, validate, run. No simulation logic of its own.
        .executableTarget(
            name: "servesim",
            dependencies: ["ServeSim"],
            path: "Sources/servesim"
        ),
        .testTarget(
            name: "ServeSimTests",
            dependencies: ["ServeSim"],
            path: "Tests/ServeSimTests"
        ),
    ]
)
