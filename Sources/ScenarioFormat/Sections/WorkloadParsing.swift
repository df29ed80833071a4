import ServingModel
import Foundation

/// Reads the `workload` subtree of a scenario into request classes, reporting every problem to the
/// node's sink with its exact path (`workload.classes.0.arrivals.rate`).
///
/// ```json5
/// workload: { classes: [{
///   name: "chat", tenant: "acme",                       // tenant defaults to "default"
///   arrivals: { process: "poisson", rate: 40 }          // req/s > 0
///           | { process: "gamma", rate: 40, cv: 4 }     // cv > 0
///           | { process: "schedule", steps: [{ at: "0s", rate: 10 }, { at: "10m", rate: 40 }] }
///           | { process: "trace", file: "t.csv", format: "azure" | "mooncake" | "csv", timeScale: 1,
///               blockTokens: 512 },                     // mooncake only: prompt tokens per hash id
///   sharedPrefix: { tokens: 1024, count: 8, skew: 0, blockTokens: 16 },  // synthetic only
///   sessions: { turns: 4, thinkTime: "30s", maxContextTokens: 32768, blockTokens: 16 },  // synthetic
///                                                       // only (SessionParser)
///   promptTokens: { distribution: "fixed", value: 512 } | { distribution: "uniform", min, max }
///               | { distribution: "lognormal", mean, p95 } | { distribution: "lognormal", mu, sigma }
///               | { distribution: "empirical", values: [...] }
///               | { distribution: "empirical", file: "lengths.csv", column: "prompt" },
///   outputTokens: (same),
/// }] }
/// ```
/// `promptTokens` and `outputTokens` are required for synthetic arrivals and not allowed with a
/// trace (the trace gives each request's tokens; trace classes carry `.fixed(1)` placeholders).
/// File paths stay as written in the spec; they are resolved against `baseDirectory` (see
/// `resolve`). Trace files are checked for existence here and read by `loadTraces`; empirical
/// length files are read here.
public enum WorkloadParser {
    public static let processes = ["poisson", "gamma", "schedule", "trace"]
    public static let distributions = ["fixed", "uniform", "lognormal", "empirical"]

    /// The classes, or nil when anything was reported.
    public static func parse(_ node: FieldNode, baseDirectory: String) -> [RequestClassSpec]? {
        let before = node.sink.diagnostics.count
        guard let workload = node.object() else { return nil }
        let classNodes = workload.required("classes", allowed: "an array of request classes")?.array(minCount: 1)
        workload.finish()
        var classes: [RequestClassSpec] = []
        var firstPathOfName: [String: String] = [:]
        for classNode in classNodes ?? [] {
            guard let spec = parseClass(classNode, baseDirectory: baseDirectory) else { continue }
            let namePath = "\(classNode.path).name"
            if let earlier = firstPathOfName[spec.name] {
                node.sink.report(namePath, "duplicate class name \"\(spec.name)\"", allowed: "unique names; also used at \(earlier)")
                continue
            }
            firstPathOfName[spec.name] = namePath
            classes.append(spec)
        }
        return node.sink.diagnostics.count == before ? classes : nil
    }

    /// A path from a scenario, resolved against the scenario file's folder (absolute paths as is).
    public static func resolve(_ path: String, baseDirectory: String) -> String {
        if path.hasPrefix("/") || baseDirectory.isEmpty { return path }
        return URL(fileURLWithPath: baseDirectory).appendingPathComponent(path).path
    }

    /// The trace records of each class, aligned with `classes` (empty for synthetic classes). Each
    /// distinct (file, format) is read once.
    public static func loadTraces(_ classes: [RequestClassSpec], baseDirectory: String) throws(InputError) -> [[TraceRecord]] {
        var cache: [String: [TraceRecord]] = [:]
        var result: [[TraceRecord]] = []
        var diagnostics: [Diagnostic] = []
        for spec in classes {
            guard case .trace(let trace) = spec.arrivals else { result.append([]); continue }
            let path = resolve(trace.file, baseDirectory: baseDirectory)
            let key = "\(trace.format.rawValue):\(path)"
            if let cached = cache[key] { result.append(cached); continue }
            do {
                let records = try TraceReader.read(path: path, format: trace.format)
                cache[key] = records
                result.append(records)
            } catch {
                diagnostics += error.diagnostics
                cache[key] = []
                result.append([])
            }
        }
        if !diagnostics.isEmpty { throw InputError(diagnostics) }
        return result
    }

    // MARK: Classes

    private static func parseClass(_ node: FieldNode, baseDirectory: String) -> RequestClassSpec? {
        guard let fields = node.object() else { return nil }
        let name = fields.required("name")?.string()
        let tenant = fields.optional("tenant").map { $0.string() } ?? "default"
        let arrivals = fields.required("arrivals", allowed: "an object with process: " + processes.joined(separator: ", "))
            .flatMap { parseArrivals($0, baseDirectory: baseDirectory) }
        var prompt: LengthDistribution? = .fixed(1)
        var output: LengthDistribution? = .fixed(1)
        if isTrace(fields.fields["arrivals"]) {
            for key in ["promptTokens", "outputTokens"] {
                fields.optional(key)?.report("not allowed with trace arrivals", allowed: "remove it: the trace gives each request's tokens")
            }
        } else if arrivals != nil || fields.has("promptTokens") || fields.has("outputTokens") {
            let allowed = "an object with distribution: " + distributions.joined(separator: ", ")
            prompt = fields.required("promptTokens", allowed: allowed).flatMap { parseLength($0, baseDirectory: baseDirectory) }
            output = fields.required("outputTokens", allowed: allowed).flatMap { parseLength($0, baseDirectory: baseDirectory) }
        } else {
            fields.accept("promptTokens", "outputTokens")
        }
        let clientNode = fields.optional("client")
        let client = clientNode.flatMap(ElasticParser.client)
        let prefixNode = fields.optional("sharedPrefix")
        var sharedPrefix: SharedPrefixSpec?
        if let prefixNode {
            if isTrace(fields.fields["arrivals"]) {
                prefixNode.report("not allowed with trace arrivals", allowed: "remove it: a Mooncake trace gives each request's block hashes")
            } else {
                sharedPrefix = PrefixCachingParser.sharedPrefix(prefixNode)
            }
        }
        let sessionNode = fields.optional("sessions")
        let sessions = sessionNode.flatMap {
            SessionParser.sessions($0, isTrace: isTrace(fields.fields["arrivals"]), sharedPrefix: sharedPrefix,
                                   baseDirectory: baseDirectory)
        }
        fields.accept("origin", "origins", "pools", "failover")  // read by RegionParser
        fields.finish()
        guard let name, let tenant, let arrivals, let prompt, let output, clientNode == nil || client != nil,
              prefixNode == nil || sharedPrefix != nil, sessionNode == nil || sessions != nil else { return nil }
        var spec = RequestClassSpec(name: name, tenant: tenant, arrivals: arrivals, promptTokens: prompt, outputTokens: output)
        spec.client = client
        spec.sharedPrefix = sharedPrefix
        spec.sessions = sessions
        return spec
    }

    // MARK: Arrivals

    /// Whether the raw arrivals object names the trace process (even if it has other problems).
    private static func isTrace(_ value: JSONValue?) -> Bool {
        guard case .object(let fields)? = value else { return false }
        return fields["process"] == .string("trace")
    }

    private static func parseArrivals(_ node: FieldNode, baseDirectory: String) -> ArrivalSpec? {
        guard let fields = node.object() else { return nil }
        guard let process = fields.required("process", allowed: processes.joined(separator: ", "))?.oneOf(processes) else {
            fields.accept("rate", "cv", "steps", "file", "format", "timeScale", "blockTokens")
            fields.finish()
            return nil
        }
        var spec: ArrivalSpec?
        switch process {
        case "poisson":
            spec = fields.required("rate", allowed: "requests per second > 0")?.double(min: 0, exclusiveMin: true)
                .map { .poisson(rate: $0) }
        case "gamma":
            let rate = fields.required("rate", allowed: "requests per second > 0")?.double(min: 0, exclusiveMin: true)
            let cv = fields.required("cv", allowed: "coefficient of variation > 0 (1 = Poisson)")?.double(min: 0, exclusiveMin: true)
            if let rate, let cv { spec = .gamma(rate: rate, cv: cv) }
        case "schedule":
            spec = fields.required("steps", allowed: "an array of { at, rate }")?.array(minCount: 1)
                .flatMap(parseSteps).map { .schedule(steps: $0) }
        default:  // trace
            spec = parseTrace(fields, baseDirectory: baseDirectory).map { .trace($0) }
        }
        fields.finish()
        return spec
    }

    private static func parseSteps(_ nodes: [FieldNode]) -> [RateStep]? {
        var steps: [RateStep] = []
        var ok = true
        for (i, node) in nodes.enumerated() {
            guard let fields = node.object() else { ok = false; continue }
            let atNode = fields.required("at", allowed: "a duration from the start")
            let at = atNode?.duration()
            let rate = fields.required("rate", allowed: "requests per second >= 0")?.double(min: 0)
            fields.finish()
            guard let atNode, let at, let rate else { ok = false; continue }
            if i == 0 && at != 0 {
                atNode.report("the first step starts at \(FieldNode.format(at))s", allowed: "0")
                ok = false
            } else if let previous = steps.last, at <= previous.start {
                atNode.report("\(FieldNode.format(at))s is not after the previous step's \(FieldNode.format(previous.start))s",
                              allowed: "strictly increasing times")
                ok = false
            }
            steps.append(RateStep(start: at, rate: rate))
        }
        return ok ? steps : nil
    }

    private static func parseTrace(_ fields: ObjectReader, baseDirectory: String) -> TraceSpec? {
        let fileNode = fields.required("file", allowed: "a path to the trace, relative to the scenario file")
        let file = fileNode?.string()
        let format = fields.required("format", allowed: formats)?.oneOf(TraceSpec.Format.allCases.map(\.rawValue))
            .flatMap(TraceSpec.Format.init(rawValue:))
        let timeScale = fields.optional("timeScale").map { $0.double(min: 0, exclusiveMin: true) } ?? 1
        var blockTokens: Int? = TraceSpec.mooncakeBlockTokens
        if let node = fields.optional("blockTokens") {
            if format == .mooncake {
                blockTokens = node.int(min: 1, max: 1_000_000)
            } else {
                node.report("is only for format mooncake (its hash_ids)", allowed: "remove it")
                blockTokens = nil
            }
        }
        if let fileNode, let file {
            let resolved = resolve(file, baseDirectory: baseDirectory)
            if !isFile(resolved) {
                fileNode.report("file not found: \(resolved)", allowed: "a path relative to the scenario file's folder, or absolute")
                return nil
            }
        }
        guard let file, let format, let timeScale, let blockTokens else { return nil }
        return TraceSpec(file: file, format: format, timeScale: timeScale, blockTokens: blockTokens)
    }

    private static var formats: String { TraceSpec.Format.allCases.map(\.rawValue).joined(separator: ", ") }

    static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    // MARK: Lengths

    static func parseLength(_ node: FieldNode, baseDirectory: String) -> LengthDistribution? {
        guard let fields = node.object() else { return nil }
        let kind = fields.required("distribution", allowed: distributions.joined(separator: ", "))?.oneOf(distributions)
        var result: LengthDistribution?
        switch kind {
        case "fixed":
            result = fields.required("value", allowed: "tokens, an integer >= 1")?.int(min: 1).map { .fixed($0) }
        case "uniform":
            let lo = fields.required("min", allowed: "tokens, an integer >= 1")?.int(min: 1)
            let hiNode = fields.required("max", allowed: "tokens, an integer >= min")
            let hi = hiNode?.int(min: 1)
            if let lo, let hi, let hiNode {
                if hi < lo { hiNode.report("\(hi) is less than min \(lo)", allowed: "an integer >= min") }
                else { result = .uniform(min: lo, max: hi) }
            }
        case "lognormal":
            result = parseLognormal(fields, node: node)
        case "empirical":
            result = parseEmpirical(fields, node: node, baseDirectory: baseDirectory)
        default:
            fields.accept("value", "min", "max", "mean", "p95", "mu", "sigma", "values", "file", "column")
        }
        fields.finish()
        return result
    }

    private static func parseLognormal(_ fields: ObjectReader, node: FieldNode) -> LengthDistribution? {
        let byMoments = fields.has("mean") || fields.has("p95")
        let byParameters = fields.has("mu") || fields.has("sigma")
        if byMoments && byParameters {
            node.report("gives both mean/p95 and mu/sigma", allowed: "either mean and p95 (tokens), or mu and sigma (of the log)")
            fields.accept("mean", "p95", "mu", "sigma")
            return nil
        }
        if byParameters {
            let mu = fields.required("mu", allowed: "mean of the log of tokens")?.double()
            let sigma = fields.required("sigma", allowed: "standard deviation of the log, >= 0")?.double(min: 0)
            guard let mu, let sigma else { return nil }
            return .lognormal(mu: mu, sigma: sigma)
        }
        let mean = fields.required("mean", allowed: "tokens > 0 (or give mu and sigma)")?.double(min: 0, exclusiveMin: true)
        let p95Node = fields.required("p95", allowed: "tokens > mean (or give mu and sigma)")
        let p95 = p95Node?.double(min: 0, exclusiveMin: true)
        guard let mean, let p95, let p95Node else { return nil }
        do {
            let fit = try LognormalFit.parameters(mean: mean, p95: p95)
            return .lognormal(mu: fit.mu, sigma: fit.sigma)
        } catch {
            p95Node.report(error.description)
            return nil
        }
    }

    private static func parseEmpirical(_ fields: ObjectReader, node: FieldNode, baseDirectory: String) -> LengthDistribution? {
        if fields.has("values") && (fields.has("file") || fields.has("column")) {
            node.report("gives both values and file", allowed: "either values: [...] or file and column")
            fields.accept("values", "file", "column")
            return nil
        }
        if fields.has("file") || fields.has("column") {
            let fileNode = fields.required("file", allowed: "a CSV file with a header row")
            let file = fileNode?.string()
            let column = fields.required("column", allowed: "a column name in the file's header")?.string()
            guard let fileNode, let file, let column else { return nil }
            return EmpiricalColumn.read(resolve(file, baseDirectory: baseDirectory), column: column, node: fileNode).map { .empirical($0) }
        }
        guard let items = fields.required("values", allowed: "an array of token counts, or file and column")?.array(minCount: 1) else {
            return nil
        }
        let values = items.map { $0.int(min: 1) }
        guard values.allSatisfy({ $0 != nil }) else { return nil }
        return .empirical(values.compactMap { $0 })
    }
}

/// Reads one column of token counts from a CSV file (header row first) for an empirical length
/// distribution; problems are reported at the `file` field, naming the CSV line.
enum EmpiricalColumn {
    static func read(_ path: String, column: String, node: FieldNode) -> [Int]? {
        guard WorkloadParser.isFile(path), let data = FileManager.default.contents(atPath: path) else {
            node.report("file not found: \(path)", allowed: "a path relative to the scenario file's folder, or absolute")
            return nil
        }
        let table = CSVLines(data)
        guard let index = table.column([column]) else {
            let names = table.header?.fields.map(String.init).joined(separator: ", ") ?? "none"
            node.report("\(path) has no column \"\(column)\"", allowed: "columns: \(names)")
            return nil
        }
        var values: [Int] = []
        var errors = 0
        for row in table.rows {
            if index < row.fields.count, let v = CSVLines.integer(row.fields[index]), v >= 1 {
                values.append(v)
                continue
            }
            errors += 1
            let text = index < row.fields.count ? "\"\(row.fields[index])\"" : "missing"
            node.report("\(path) line \(row.line): \(column) \(text) is not a token count", allowed: "an integer >= 1")
            if errors >= TraceReader.maxErrors { break }
        }
        if errors > 0 { return nil }
        if values.isEmpty { node.report("\(path) has no values in column \"\(column)\"", allowed: "at least one row"); return nil }
        return values
    }
}
