import ArgumentParser
import Foundation
import OmbudOperations
import OmbudRuntime
import Postgres

struct EraseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Erase a customer's data from Ombud on request, keeping the anonymised case statistics.",
        discussion: """
            Finds the customer's cases by customer id (the ticket's or the ledger's) or email address, and in one \
            transaction removes the ticket texts, contact details, entities read from them, match reasons, decisions' \
            details, replies, hand-off summaries, timeline details, parked copies and receipts' copies. Each case keeps \
            its intent, outcome, team, priority, language and times, and gets an 'erased' event; the erasure is \
            recorded in ombud.erasures with the identifier only as a SHA-256 digest. The ledger (the lender's system \
            of record) and the actions executed on money are not touched. Tickets still in the pipeline are counted: \
            erase again once they are decided.
            """)

    @Argument(help: "The customer: a customer id or an email address.")
    var customer: String

    @Option(help: "Who asked for the erasure (a person or a ticket reference); recorded with it.")
    var requestedBy: String

    @Flag(help: "Only count what would be erased.")
    var dryRun = false

    @Option(help: "PostgreSQL connection string or URI (env OMBUD_DATABASE_URL).")
    var databaseURL: String?

    func run() throws {
        let database = try PostgresConnection(databaseURL ?? OmbudEnvironment.databaseURL, applicationName: "ombudctl-erase")
        defer { database.close() }
        let result = try CustomerErasure(database: database).erase(customer: customer, requestedBy: requestedBy, dryRun: dryRun)
        let what = "\(result.cases) case(s), \(result.tickets) ticket(s), \(result.parked) parked message(s)"
        if result.cases == 0 && result.parked == 0 {
            print("nothing found for that customer" + (dryRun ? "" : "; the request is recorded"))
        } else {
            print(dryRun ? "would erase \(what)" : "erased \(what)")
        }
        if result.inFlight > 0 {
            print("\(result.inFlight) ticket(s) are still in the pipeline: run this again once they are decided (ombudctl status)")
        }
    }
}
