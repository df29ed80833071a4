import ServingModel
import Foundation

/// Reads the `workload` subtree of a scenario into request classes (keys: `WorkloadFields`,
/// `ClassFields`, `ArrivalFields`, `LengthFields`), reporting every problem to the node's sink
/// with its exact path (`workload.classes.0.arrivals.rate`).
///
/// `promptTokens` and `outputTokens` are required for synthetic arrivals and not allowed with a
/// trace (the trace gives each request's tokens; trace classes carry `.fixed(1)` placeholders).
/// File paths stay as written in the spec; they are resolved against `baseDirectory` (see
/// `resolve`). Trace files are checked for existence here and read by `loadTraces`; empirical
/// length files are read here.
public enum WorkloadParser {
    public static let processes = ArrivalFields.processes
    public static let distributions = LengthFields.distributions

    /// The classes, or nil when anything was reported.
    public static func parse(_ node: FieldNode, baseDirectory: String) -> [RequestClassSpec]? {
        let before = node.sink.reportedCount
        guard let workload = node.object(WorkloadFields.section) else { return nil }
        let classNodes = workload.requiredNode(WorkloadFields.classes)?.array(minCount: 1)
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
        return node.sink.reportedCount == before ? classes : nil
    }

    /// A path from a scenario, resolved against the scenario file's folder (absolute paths as is).
    public static func resolve(_ path: String, baseDirectory: String) -> String {
        if path.hasPrefix("/") || baseDirectory.isEmpty { return path }
        return URL(fileURLWithPath: baseDirectory).appendingPathComponent(path).path
    }

    /// The trace records of each class, aligned with `classes` (empty for synthetic classes). Each
    /// distinct (file, format) is read once.
    public static func loadTraces(_ classes: [RequestClassSpec], baseDirectory: String,
                                  limits: RunLimits = .standard) throws(InputError) -> [[TraceRecord]] {
        var cache: [String: [TraceRecord]] = [:]
        var result: [[TraceRecord]] = []
        var diagnostics: [Diagnostic] = []
        for spec in classes {
            guard case .trace(let trace) = spec.arrivals else { result.append([]); continue }
            let path = resolve(trace.file, baseDirectory: baseDirectory)
            let key = "\(trace.format.rawValue):\(trace.blockTokens):\(path)"
            if let cached = cache[key] { result.append(cached); continue }
            do {
                let records = try TraceReader.read(path: path, format: trace.format, blockTokens: trace.blockTokens,
                                                   maxRows: limits.maxTraceRows)
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
        typealias K = ClassFields
        guard let fields = node.object(K.section) else { return nil }
        let name = fields.read(K.name)
        let tenant = fields.read(K.tenant)
        let arrivals = fields.requiredNode(K.arrivals).flatMap { parseArrivals($0, baseDirectory: baseDirectory) }
        var prompt: LengthDistribution? = .fixed(1)
        var output: LengthDistribution? = .fixed(1)
        let trace = isTrace(fields.fields[K.arrivals.name])
        if trace {
            for key in [K.promptTokens, K.outputTokens] {
                fields.node(key)?.report("not allowed with trace arrivals", allowed: "remove it: the trace gives each request's tokens")
            }
        } else if arrivals != nil || fields.has(K.promptTokens) || fields.has(K.outputTokens) {
            prompt = fields.requiredNode(K.promptTokens).flatMap { parseLength($0, baseDirectory: baseDirectory) }
            output = fields.requiredNode(K.outputTokens).flatMap { parseLength($0, baseDirectory: baseDirectory) }
        } else {
            fields.accept(K.promptTokens.spec, K.outputTokens.spec)
        }
        let clientNode = fields.node(K.client)
        let client = clientNode.flatMap(ControlPlaneParser.client)
        let prefixNode = fields.node(K.sharedPrefix)
        var sharedPrefix: SharedPrefixSpec?
        if let prefixNode {
            if trace {
                prefixNode.report("not allowed with trace arrivals", allowed: "remove it: a Mooncake trace gives each request's block hashes")
            } else {
                sharedPrefix = PrefixCachingParser.sharedPrefix(prefixNode)
            }
        }
        let sessionNode = fields.node(K.sessions)
        var sessions: SessionSpec?
        if let sessionNode, arrivals?.closedLoop != nil {
            sessionNode.report("not allowed with closed-loop arrivals", allowed: "open-loop arrivals of new sessions (poisson, gamma, schedule)")
        } else {
            sessions = sessionNode.flatMap {
                SessionParser.sessions($0, isTrace: trace, sharedPrefix: sharedPrefix, baseDirectory: baseDirectory)
            }
        }
        fields.accept(K.origin.spec, K.origins.spec, K.pools.spec, K.failover.spec)  // read by RegionParser
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
        return fields[ArrivalFields.process.name] == .string("trace")
    }

    private static func parseArrivals(_ node: FieldNode, baseDirectory: String) -> ArrivalSpec? {
        typealias K = ArrivalFields
        guard let fields = node.object(K.section) else { return nil }
        guard let process = fields.read(K.process) else {
            fields.acceptAll()
            fields.finish()
            return nil
        }
        var spec: ArrivalSpec?
        switch process {
        case "poisson":
            spec = fields.read(K.rate).map { .poisson(rate: $0) }
        case "gamma":
            let rate = fields.read(K.rate)
            let cv = fields.read(K.cv)
            if let rate, let cv { spec = .gamma(rate: rate, cv: cv) }
        case "schedule":
            spec = fields.requiredNode(K.steps)?.array(minCount: 1).flatMap(parseSteps).map { .schedule(steps: $0) }
        case "closed-loop":
            let concurrency = fields.read(K.concurrency)
            let requests = fields.read(K.requests)
            let thinkNode = fields.node(K.thinkTime)
            let think = thinkNode.map { DurationDistribution.parse($0) } ?? .fixed(0)
            if let concurrency, let requests, let think {
                spec = .closedLoop(ClosedLoopSpec(concurrency: concurrency, requests: requests, thinkTime: think))
            }
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
            guard let fields = node.object(RateStepFields.section) else { ok = false; continue }
            let atNode = fields.requiredNode(RateStepFields.at)
            let at = atNode?.duration()
            let rate = fields.read(RateStepFields.rate)
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
        typealias K = ArrivalFields
        let fileNode = fields.requiredNode(K.file)
        let file = fileNode?.string()
        let format = fields.read(K.format)
        let timeScale = fields.read(K.timeScale)
        var blockTokens: Int? = TraceSpec.mooncakeBlockTokens
        if let node = fields.node(K.blockTokens) {
            if format == .mooncake {
                blockTokens = K.blockTokens.read(node)
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

    static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    // MARK: Lengths

    static func parseLength(_ node: FieldNode, baseDirectory: String) -> LengthDistribution? {
        typealias K = LengthFields
        guard let fields = node.object(K.section) else { return nil }
        let kind = fields.read(K.distribution)
        var result: LengthDistribution?
        switch kind {
        case "fixed":
            result = fields.read(K.value).map { .fixed($0) }
        case "uniform":
            let lo = fields.read(K.min)
            let hiNode = fields.requiredNode(K.max)
            let hi = hiNode.flatMap(K.max.read)
            if let lo, let hi, let hiNode {
                if hi < lo { hiNode.report("\(hi) is less than min \(lo)", allowed: "an integer >= min") }
                else { result = .uniform(min: lo, max: hi) }
            }
        case "lognormal":
            result = parseLognormal(fields, node: node)
        case "empirical":
            result = parseEmpirical(fields, node: node, baseDirectory: baseDirectory)
        default:
            fields.acceptAll()
        }
        fields.finish()
        return result
    }

    private static func parseLognormal(_ fields: ObjectReader, node: FieldNode) -> LengthDistribution? {
        typealias K = LengthFields
        let byMoments = fields.has(K.mean) || fields.has(K.p95)
        let byParameters = fields.has(K.mu) || fields.has(K.sigma)
        if byMoments && byParameters {
            node.report("gives both mean/p95 and mu/sigma", allowed: "either mean and p95 (tokens), or mu and sigma (of the log)")
            fields.accept(K.mean.spec, K.p95.spec, K.mu.spec, K.sigma.spec)
            return nil
        }
        if byParameters {
            let mu = fields.read(K.mu, required: true)
            let sigma = fields.read(K.sigma, required: true)
            guard let mu, let sigma else { return nil }
            return .lognormal(mu: mu, sigma: sigma)
        }
        let mean = fields.read(K.mean, required: true)
        let p95Node = fields.requiredNode(K.p95)
        let p95 = p95Node.flatMap(K.p95.read)
        guard let mean, let p95, let p95Node else { return nil }
        do {
            let fit = try LognormalFit.parameters(mean: mean, p95: p95)
            return .lognormal(mu: fit.mu, sigma: fit.sigma)
        } catch {
            p95Node.report(error.description, allowed: error.allowed)
            return nil
        }
    }

    private static func parseEmpirical(_ fields: ObjectReader, node: FieldNode, baseDirectory: String) -> LengthDistribution? {
        typealias K = LengthFields
        if fields.has(K.values) && (fields.has(K.file) || fields.has(K.column)) {
            node.report("gives both values and file", allowed: "either values: [...] or file and column")
            fields.accept(K.values.spec, K.file.spec, K.column.spec)
            return nil
        }
        if fields.has(K.file) || fields.has(K.column) {
            let fileNode = fields.requiredNode(K.file)
            let file = fileNode?.string()
            let column = fields.read(K.column, required: true)
            guard let fileNode, let file, let column else { return nil }
            return EmpiricalColumn.read(resolve(file, baseDirectory: baseDirectory), column: column, node: fileNode).map { .empirical($0) }
        }
        guard let items = fields.requiredNode(K.values)?.array(minCount: 1) else { return nil }
        let values = items.map { $0.int(min: 1) }
        guard values.allSatisfy({ $0 != nil }) else { return nil }
        return .empirical(values.compactMap { $0 })
    }
}

/// Reads one column of token counts from a CSV file (header row first) for an empirical length
/// distribution; problems are reported at the `file` field, naming the CSV line.
enum EmpiricalColumn {
    static func read(_ path: String, column: String, node: FieldNode) -> [Int]? {
        guard WorkloadParser.isFile(path) else {
            node.report("file not found: \(path)", allowed: "a path relative to the scenario file's folder, or absolute")
            return nil
        }
        var header: CSVLines.Row?
        var index: Int?
        var values: [Int] = []
        var errors = 0
        do {
            try CSVLines.forEachRow(.file(path), file: path) { row in
                guard let index else {
                    header = row
                    index = CSVLines.column([column], in: row)
                    if index == nil {
                        node.report("\(path) has no column \"\(column)\"", allowed: "columns: \(row.fields.map(String.init).joined(separator: ", "))")
                    }
                    return index != nil
                }
                if index < row.fields.count, let v = CSVLines.integer(row.fields[index]), v >= 1, v <= TraceReader.maxTokens {
                    if values.count >= RunLimits.standard.maxTraceRows {
                        node.report("\(path) has more than \(RunLimits.standard.maxTraceRows) values", allowed: "fewer values")
                        errors += 1
                        return false
                    }
                    values.append(v)
                    return true
                }
                errors += 1
                let text = index < row.fields.count ? "\"\(row.fields[index])\"" : "missing"
                node.report("\(path):\(row.line):\(row.column(of: index)): \(column) \(text) is not a token count",
                            allowed: "an integer from 1 to \(TraceReader.maxTokens)")
                return errors < TraceReader.maxErrors
            }
        } catch {
            for d in error.diagnostics { node.report(d, fallback: "a CSV file with a header row") }
            return nil
        }
        if header == nil { node.report("\(path) has no header row", allowed: "a header row naming \(column)"); return nil }
        if index == nil { return nil }   // reported at the header
        if errors > 0 { return nil }
        if values.isEmpty { node.report("\(path) has no values in column \"\(column)\"", allowed: "at least one row"); return nil }
        return values
    }
}
