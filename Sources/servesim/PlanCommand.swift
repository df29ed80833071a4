import Foundation
import ServeSim

let planHelp = """
    USAGE: servesim plan SCENARIO [--pool NAME] [--hardware A,B] [--tensor-parallel 1,2] [--model M,N]
                         [--peak X] [--growth X] [--safety X] [--max-replicas N] [--replications N]
                         [--recheck-seeds N] [--seed N] [--slo A,B] [--set PATH=VALUE ...] [--format md,json,html] [--out DIR] [--jobs N]
                         [--raise-limits F] [--hosted IN,OUT | --hosted scenario]

    Capacity search: for each option (the product of --hardware, --tensor-parallel and --model;
    none given: the pool as it is), the smallest replica count of the pool (with autoscaling: the
    autoscaler's maxReplicas) that meets every SLO at the scenario's load x peak x growth x safety.
    Prints each option's answer, the cheapest feasible plan, the cost-vs-p95-TTFT frontier and why
    rejected options fail. Changing the hardware drops the pool's pricePerGpuHour so the preset's
    price applies.

    OPTIONS:
      --pool NAME          the pool to size (default: the first)
      --hardware LIST      hardware presets to try
      --tensor-parallel L  GPUs per replica to try
      --model LIST         model presets to try
      --peak X             peak-to-scenario load ratio (default 1)
      --growth X           growth factor until the plan must hold (default 1)
      --safety X           safety margin (default 1; e.g. 1.2)
      --max-replicas N     largest size tried (default 64)
      --replications N     seeds per evaluated size; feasible = met on every one (default 1)
      --recheck-seeds N    fresh seeds the answer is re-checked on (default 3; 0: none)
      --seed N             first seed (default: the scenario's)
      --slo LIST           only these SLOs decide feasibility (default: every SLO; the others
                           are still reported)
      --hosted PRICES      weigh the cheapest plan against a hosted API: IN,OUT in USD per million
                           prompt and output tokens, or "scenario" for the scenario's hosted
                           endpoint's prices; gives both monthly costs and the load where they cross
    \(setHelp(21))
                           (before the options' own changes)
    \(raiseLimitsHelp(21))
      --format LIST        files to write with --out: md, json, html (default md,json)
      --out DIR            write DIR/<scenario>.plan.<format>; the Markdown always goes to stdout
      --jobs N             simulations run in parallel (default: the number of cores)
      --quiet              no progress line on stderr (shown only on a terminal, after a second)
    Exit codes: 0 planned (even when no option is feasible), 2 bad input.
    """

func planCommand(_ raw: [String]) -> Int32 {
    let args: Arguments
    do {
        args = try Arguments.parse(raw, command: "plan", options: [
            "pool", "hardware", "tensor-parallel", "model", "peak", "growth", "safety", "max-replicas",
            "replications", "recheck-seeds", "seed", "set", "slo", "format", "out", "jobs", "raise-limits", "hosted"], flags: ["quiet"])
    } catch let e as UsageError {
        printError(e.message); return Exit.badInput
    } catch { return Exit.badInput }
    if args.help { print(planHelp); return Exit.ok }

    var problems: [String] = []
    if args.positionals.count != 1 { problems.append("servesim plan: needs exactly one scenario file") }
    func factor(_ name: String) -> Double {
        guard let text = args.options[name] else { return 1 }
        // At most 1000: the load is the scenario's times all three, and the run limits apply to it.
        guard let x = Double(text), x > 0, x <= 1000 else {
            problems.append("servesim plan: --\(name): \"\(text)\" is not a factor (a number > 0, at most 1000)")
            return 1
        }
        return x
    }
    func list(_ name: String) -> [String] {
        (args.options[name] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
    var request = PlanRequest(path: args.positionals.first ?? "")
    request.peak = factor("peak")
    request.growth = factor("growth")
    request.safety = factor("safety")
    request.maxReplicas = parseCount(args.options["max-replicas"], option: "max-replicas", command: "plan", default: 64, problems: &problems)
    request.replications = parseCount(args.options["replications"], option: "replications", command: "plan", default: 1, problems: &problems)
    if let text = args.options["recheck-seeds"] {
        if let n = Int(text), n >= 0, n <= 1000 { request.recheckSeeds = n } else {
            problems.append("servesim plan: --recheck-seeds: \"\(text)\" is not a count (an integer from 0 to 1000)")
        }
    }
    request.seed = parseSeed(args.options["seed"], command: "plan", problems: &problems)
    request.overrides = parseOverrides(args.repeated["set"], command: "plan", problems: &problems)
    if args.options["slo"] != nil { request.slos = list("slo") }
    request.limits = parseLimits(args.options["raise-limits"], command: "plan", problems: &problems)
    checkOutput(args.options["out"], isFile: false, command: "plan", problems: &problems)
    requireOut(forFormat: args.options["format"], out: args.options["out"], command: "plan", problems: &problems)
    request.jobs = parseCount(args.options["jobs"], option: "jobs", command: "plan",
                              default: ProcessInfo.processInfo.activeProcessorCount, problems: &problems)
    let formats = parseFormats(args.options["format"] ?? "md,json", allowed: ["md", "json", "html"], command: "plan", problems: &problems)
    let tps = list("tensor-parallel")
    for tp in tps where Int(tp) == nil || Int(tp)! < 1 {
        problems.append("servesim plan: --tensor-parallel: \"\(tp)\" is not a GPU count (an integer >= 1)")
    }
    var base: Scenario?
    if problems.isEmpty {
        do { base = try ScenarioLoader.load(path: request.path, overrides: request.overrides, limits: request.limits) } catch let e as InputError {
            problems += e.diagnostics.map(\.description)
        } catch { problems.append("\(request.path): \(error)") }
    }
    if let base {
        if let name = args.options["pool"] {
            if let p = base.pools.firstIndex(where: { $0.name == name }) ?? Int(name).flatMap({ base.pools.indices.contains($0) ? $0 : nil }) {
                request.pool = p
            } else {
                problems.append("servesim plan: --pool: no pool \"\(name)\" in \(request.path) (\(base.pools.map(\.name).joined(separator: ", ")))")
            }
        }
        // Names typed here match presets ignoring case; the options name them as the presets do.
        var hardware: [String] = []
        for name in list("hardware") {
            if let spec = HardwareSpec.preset(matching: name) { hardware.append(spec.name) } else {
                problems.append(unknownPreset(name, kind: "hardware", names: HardwareSpec.presets.map(\.name), option: "hardware", command: "plan"))
            }
        }
        var models: [PlanModel] = []
        for name in list("model") {
            if let spec = ModelSpec.preset(matching: name) { models.append(PlanModel(spec)) } else {
                problems.append(unknownPreset(name, kind: "model", names: ModelSpec.presets.map(\.name), option: "model", command: "plan",
                                              or: "or a Hugging Face id of one"))
            }
        }
        request.options = planOptions(pool: request.pool, hardware: hardware, tensorParallel: tps, models: models)
        if let text = args.options["hosted"] {
            if text == "scenario" {
                if let h = base.hosted {
                    request.hosted = HostedPrices(name: h.name, inputPerMillion: h.inputPricePerMillion, outputPerMillion: h.outputPricePerMillion)
                } else {
                    problems.append("servesim plan: --hosted: \(request.path) has no hosted endpoint (IN,OUT prices in USD per million tokens, or \"scenario\" with a hosted section)")
                }
            } else {
                let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
                if parts.count == 2, let input = parts[0], let output = parts[1], input >= 0, output >= 0, input.isFinite, output.isFinite,
                   input + output > 0 {
                    request.hosted = HostedPrices(name: "hosted API", inputPerMillion: input, outputPerMillion: output)
                } else {
                    problems.append("servesim plan: --hosted: \"\(text)\" is not two prices (IN,OUT: USD per million prompt and output tokens, >= 0, not both 0; or \"scenario\")")
                }
            }
        }
        let sloNames = base.slos.map(\.name)
        for name in request.slos ?? [] where !sloNames.contains(name) {
            problems.append("servesim plan: --slo: no SLO \"\(name)\" in \(request.path) (\(NameMatch.didYouMean(name, among: sloNames))"
                            + sloNames.joined(separator: ", ") + ")")
        }
    }
    if !problems.isEmpty {
        problems.forEach(printError)
        return Exit.badInput
    }
    let line = ProgressLine.make(name: "plan", quiet: args.flags.contains("quiet"))
    if let line {
        final class Box: @unchecked Sendable { let line: ProgressLine; init(_ l: ProgressLine) { line = l } }
        let box = Box(line)
        request.progress = { box.line.update(status: $0) }
        request.optionFinished = { box.line.tick() }
        line.expect(max(1, request.options.count), "options")
    }
    defer { line?.finish() }
    let plan: CapacityPlan
    do { plan = try CapacityPlanner.plan(request) } catch let e as InputError {
        e.diagnostics.forEach { printError($0.description) }
        return Exit.badInput
    } catch {
        printError("servesim plan: \(error)"); return Exit.badInput
    }
    let markdown = ReportRenderer.markdown(plan)
    if let out = args.options["out"], !writeOutputs(formats, prefix: "\(out)/\(plan.scenario).plan", command: "plan", render: { format in
        switch format {
        case "json": try ReportRenderer.json(encodable: plan)
        case "html": Data(PlanHTML.render(plan).utf8)
        default: Data(markdown.utf8)
        }
    }) {
        return Exit.badInput
    }
    print(markdown, terminator: "")
    return Exit.ok
}

/// The product of the given hardware, TP degrees and models as overrides of pool `pool` (empty
/// when none is given: the pool as it is). New hardware brings its own price (`ScenarioSource.scenario`).
func planOptions(pool: Int, hardware: [String], tensorParallel: [String], models: [PlanModel]) -> [PlanOption] {
    if hardware.isEmpty && tensorParallel.isEmpty && models.isEmpty { return [] }
    let p = "\(pool)"
    var options: [PlanOption] = []
    for hw in hardware.isEmpty ? [nil] : hardware.map(Optional.some) {
        for tp in tensorParallel.isEmpty ? [nil] : tensorParallel.map(Optional.some) {
            for model in models.isEmpty ? [nil] : models.map(Optional.some) {
                var overrides: [ScenarioOverride] = []
                var name: [String] = []
                if let hw {
                    overrides.append(ScenarioOverride(path: ["pools", p, "hardware"], value: .string(hw)))
                    name.append(hw)
                }
                if let model {
                    overrides.append(ScenarioOverride(path: ["pools", p, "model"], value: .string(model.preset)))
                    if let q = model.quantization {
                        overrides.append(ScenarioOverride(path: ["pools", p, "quantization"], value: .string(q)))
                    }
                    name.append(model.preset + (model.quantization.map { " \($0)" } ?? ""))
                }
                if let tp {
                    overrides.append(ScenarioOverride(path: ["pools", p, "tensorParallel"], value: .number(Double(tp)!)))
                    name.append("tp\(tp)")
                }
                options.append(PlanOption(name: name.joined(separator: " "), overrides: overrides))
            }
        }
    }
    return options
}

/// A model option of a plan: a preset name, and the pool `quantization` a Hugging Face id implies
/// when it differs from the preset's own weights (an "-FP8" checkpoint); nil keeps the pool's.
struct PlanModel {
    var preset: String
    var quantization: String?

    init(_ spec: ModelSpec) {
        preset = spec.name
        let own = ModelSpec.preset(named: spec.name)?.gemmFormat
        quantization = spec.gemmFormat == own ? nil : (spec.gemmFormat == .bf16 ? "none" : spec.gemmFormat.rawValue)
    }
}
