import ServeSim

func schemaCommand(_ raw: [String]) -> Int32 {
    do {
        let args = try Arguments.parse(raw, command: "schema", options: [], flags: [])
        if args.help {
            print("USAGE: servesim schema\n\nPrints the JSON Schema (draft 2020-12) of scenario files.")
            return Exit.ok
        }
        if let extra = args.positionals.first {
            printError("servesim schema: \(extra): unexpected argument (none allowed)")
            return Exit.badInput
        }
    } catch let e as UsageError {
        printError(e.message); return Exit.badInput
    } catch { return Exit.badInput }
    print(ScenarioSchema.text)
    return Exit.ok
}
