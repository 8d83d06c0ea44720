import Postgres

/// Erasure on request (`ombudctl erase`): one call to `ombud.erase_customer` (migration 0008), which removes the
/// customer's words, contact details, entities, replies and hand-offs from Ombud's tables in one transaction and keeps
/// the anonymised shape of each case. The ledger is the lender's system of record and is not touched.
public struct CustomerErasure {
    public struct Result: Sendable, Equatable {
        public var cases: Int
        public var tickets: Int
        /// Parked messages of those cases, and parked tickets naming the customer that never became a case.
        public var parked: Int
        /// Tickets of those cases not decided yet: the stages may still write about them; erase again later.
        public var inFlight: Int

        public init(cases: Int, tickets: Int, parked: Int, inFlight: Int) {
            self.cases = cases
            self.tickets = tickets
            self.parked = parked
            self.inFlight = inFlight
        }
    }

    public let database: PostgresConnection

    public init(database: PostgresConnection) { self.database = database }

    /// `customer`: a customer id (the ticket's or the ledger's) or an email address. `dryRun` only counts.
    public func erase(customer: String, requestedBy: String, dryRun: Bool = false) throws -> Result {
        let row = try database.query("SELECT cases, tickets, parked, in_flight FROM ombud.erase_customer($1, $2, $3)",
                                     [.text(customer), .text(requestedBy), .bool(dryRun)])[0]
        return Result(cases: try row.decode(Int.self, column: 0), tickets: try row.decode(Int.self, column: 1),
                      parked: try row.decode(Int.self, column: 2), inFlight: try row.decode(Int.self, column: 3))
    }
}
