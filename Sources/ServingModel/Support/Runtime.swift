import CGSL

/// Process-wide set-up that must happen before any GSL call.
public enum ServeSimRuntime {
    /// Turns GSL's default error handler (which aborts the process) off: errors become return codes.
    public static func start() {
        gsl_set_error_handler_off()
    }
}
