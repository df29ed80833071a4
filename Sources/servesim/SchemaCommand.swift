import ServeSim

let schemaHelp = """
    USAGE: servesim schema [--markdown]

    Prints the JSON Schema (draft 2020-12) of scenario files, generated from the format's
    declarations; with --markdown, the README's tables of every key (type, default, meaning).
    """

func schemaCommand(_ raw: [String]) -> Int32 {
    let args: Arguments
    do {
        args = try Arguments.parse(raw, command: "schema", options: [], flags: ["markdown"])
    } catch let e as UsageError {
        printError(e.message); return Exit.badInput
    } catch { return Exit.badInput }
    if args.help { print(schemaHelp); return Exit.ok }
    if let extra = args.positionals.first {
        printError("servesim schema: \(extra): unexpected argument (none allowed)")
        return Exit.badInput
    }
    print(args.flags.contains("markdown") ? KeyTables.markdown : ScenarioSchema.text, terminator: "")
    return Exit.ok
}
