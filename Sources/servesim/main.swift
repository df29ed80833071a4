import Foundation
import ServeSim

/// servesim: parse, validate, run. Each subcommand lives in its own file; no simulation logic here.
let usage = """
    servesim: capacity and SLO simulator for LLM serving

    USAGE: servesim <command> [options]
           servesim --version

    COMMANDS:
      init [FILE]           write a commented starter scenario (--template chat, rag, batch, autoscale)
      run [SCENARIO...]     simulate scenarios (none: the built-in default) and write reports
      check SCENARIO...     re-run scenarios and fail on regressions against --baseline DIR
      compare A B ...       side-by-side table of scenarios (or one file's variants) on common random numbers
      plan SCENARIO         capacity search: the cheapest pool size and hardware that meets every SLO
      schema                print the JSON Schema of scenario files
      bench                 simulated requests and events per wall second on a 1M-request scenario
      calibrate             time the real transformer kernel and fit a timing profile
      profile import DIR    turn measured per-layer GPU timings into a profile
      validate --replay RUN replay a recorded real run and compare simulated with measured tails
      sweep SCENARIO --set  run a parameter grid (in parallel, optionally one shard) into a table
      merge SHARD...        combine sweep shards into the table of the whole grid

    Run `servesim <command> --help` for the options of a command.
    """

let commandNames = ["init", "run", "check", "compare", "plan", "sweep", "merge", "schema", "bench", "calibrate", "profile", "validate"]

ServeSimRuntime.start()
let arguments = Array(CommandLine.arguments.dropFirst())
let command = arguments.first ?? "--help"
let rest = Array(arguments.dropFirst())
let code: Int32
switch command {
case "run": code = runCommand(rest)
case "check": code = checkCommand(rest)
case "compare": code = compareCommand(rest)
case "plan": code = planCommand(rest)
case "schema": code = schemaCommand(rest)
case "bench": code = benchCommand(rest)
case "calibrate": code = calibrateCommand(rest)
case "profile": code = profileCommand(rest)
case "validate": code = validateCommand(rest)
case "sweep": code = sweepCommand(rest)
case "merge": code = mergeCommand(rest)
case "init": code = initCommand(rest)
case "--version", "version":
    print("servesim \(ServeSimVersion.current)")
    code = Exit.ok
case "--help", "-h", "help":
    print(usage)
    code = Exit.ok
default:
    printError("servesim: \(command): unknown command (\(NameMatch.didYouMean(command, among: commandNames))\(commandNames.joined(separator: ", ")), --version, --help)")
    code = Exit.badInput
}
exit(code)
