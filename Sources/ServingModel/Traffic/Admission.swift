/// Admission control: per-tenant rate limits and a global budget of in-flight tokens. Rejected
/// requests count against availability.
public struct Admission: Sendable, Equatable {
    public struct TenantLimit: Sendable, Equatable {
        public enum Unit: String, Sendable, CaseIterable { case requests, tokens }
        public var tenant: String
        /// Requests (or prompt + output tokens) per second, and the bucket's capacity.
        public var rate: Double
        public var burst: Double
        public var unit: Unit
        public init(tenant: String, rate: Double, burst: Double, unit: Unit = .requests) {
            self.tenant = tenant; self.rate = rate; self.burst = burst; self.unit = unit
        }
    }
    public var tenants: [TenantLimit] = []
    /// Most prompt + output tokens of admitted, unfinished requests (nil: unbounded).
    public var maxInFlightTokens: Int?
    public init(tenants: [TenantLimit] = [], maxInFlightTokens: Int? = nil) {
        self.tenants = tenants
        self.maxInFlightTokens = maxInFlightTokens
    }
}
