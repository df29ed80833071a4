/// The tool's version, printed by `servesim --version` and written into every JSON report,
/// comparison and plan (`servesimVersion`), so a report says which simulator made it.
///
/// 0.MINOR.PATCH: MINOR counts the landed capabilities (issues) and moves when reports can change
/// for the same scenario and seed; PATCH moves for fixes that change no committed report.
public enum ServeSimVersion {
    public static let current = "0.15.0"
}
