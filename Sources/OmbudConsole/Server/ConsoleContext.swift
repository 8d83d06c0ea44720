import Hummingbird

/// A request's context: the peer address (to check that it is the trusted login proxy) and, once the identity
/// middleware has run, the agent and their session id.
public struct ConsoleContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connecting peer's IP address (the proxy's, in production).
    public let peer: String?
    public var agent: Agent?
    public var session: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress
        agent = nil
        session = nil
    }

    /// The agent; the identity middleware guarantees one on every route behind it.
    public func requireAgent() throws -> Agent {
        guard let agent else { throw HTTPError(.unauthorized, message: "no identity") }
        return agent
    }
}
