/// Closed-form results of queueing theory, the reference the simulator is checked against.
///
/// Rates in requests per second, times in seconds. Sources: Erlang C and the M/M/c mean wait
/// (Kleinrock, Queueing Systems Vol. 1, 1975, sec. 3.5); Pollaczek-Khinchine mean wait for M/G/1
/// (ibid., sec. 5.6).
public enum QueueingTheory {
    /// Probability that an arrival waits in an M/M/c queue (Erlang C), for offered load
    /// `a = lambda / mu` Erlangs and `c` servers; requires `a < c`.
    public static func erlangC(servers c: Int, offeredLoad a: Double) -> Double {
        precondition(a < Double(c) && c >= 1)
        // Erlang B by its stable recurrence, then C = B / (1 - rho (1 - B)).
        var b = 1.0
        for k in 1...c { b = a * b / (Double(k) + a * b) }
        let rho = a / Double(c)
        return b / (1 - rho * (1 - b))
    }

    /// Mean wait in queue of M/M/c: C(c, a) / (c mu - lambda).
    public static func mmcMeanWait(arrivalRate lambda: Double, serviceRate mu: Double, servers c: Int) -> Double {
        erlangC(servers: c, offeredLoad: lambda / mu) / (Double(c) * mu - lambda)
    }

    /// Mean wait in queue of M/G/1 (Pollaczek-Khinchine): rho * E[S] * (1 + cv^2) / (2 (1 - rho)).
    public static func mg1MeanWait(arrivalRate lambda: Double, meanService s: Double, squaredCV cv2: Double) -> Double {
        let rho = lambda * s
        precondition(rho < 1)
        return rho * s * (1 + cv2) / (2 * (1 - rho))
    }
}
