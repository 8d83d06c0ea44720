import Foundation

/// Who is asking: the agent's login (the proxy's identity header, an e-mail for oauth2-proxy), their teams and whether
/// they supervise (all teams). Read from the groups header: `ombud-team-<team>` and `ombud-supervisors`.
public struct Agent: Sendable, Equatable {
    public var name: String
    public var teams: [String]
    public var isSupervisor: Bool

    public init(name: String, teams: [String], isSupervisor: Bool) {
        self.name = name
        self.teams = teams
        self.isSupervisor = isSupervisor
    }

    /// The teams whose cases this agent may see; nil for a supervisor (every team). Passed to every query.
    public var teamScope: [String]? { isSupervisor ? nil : teams }

    public func mayWork(team: String?) -> Bool {
        isSupervisor || team.map(teams.contains) == true
    }

    public static let teamGroupPrefix = "ombud-team-"
    public static let supervisorGroup = "ombud-supervisors"

    /// Teams and the supervisor flag from a groups header value (comma-separated, as oauth2-proxy sends it).
    public static func from(name: String, groups: String) -> Agent {
        var teams: [String] = []
        var supervisor = false
        for group in groups.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if group == supervisorGroup {
                supervisor = true
            } else if group.hasPrefix(teamGroupPrefix), group.count > teamGroupPrefix.count {
                let team = String(group.dropFirst(teamGroupPrefix.count))
                if !teams.contains(team) { teams.append(team) }
            }
        }
        return Agent(name: name, teams: teams, isSupervisor: supervisor)
    }
}

/// Where identity comes from: headers set by a trusted reverse proxy (oauth2-proxy in production), never from the
/// browser directly. A request from any other peer is refused, so a client cannot claim an identity by sending the
/// header itself.
public struct IdentitySettings: Sendable {
    public var identityHeader: String
    public var groupsHeader: String
    /// Peers allowed to set the headers (addresses or CIDR ranges); loopback by default.
    public var trustedProxies: TrustedProxies
    /// Local development only: the identity (and groups) used for requests from loopback without the header.
    public var devUser: String?
    public var devGroups: String
    /// Mark the session cookie Secure (the proxy serves HTTPS); off only for plain-HTTP local use.
    public var secureCookies: Bool

    public init(identityHeader: String = "X-Forwarded-Email", groupsHeader: String = "X-Forwarded-Groups",
                trustedProxies: TrustedProxies = .loopback, devUser: String? = nil,
                devGroups: String = Agent.supervisorGroup, secureCookies: Bool = true) {
        self.identityHeader = identityHeader
        self.groupsHeader = groupsHeader
        self.trustedProxies = trustedProxies
        self.devUser = devUser
        self.devGroups = devGroups
        self.secureCookies = secureCookies
    }

    /// The agent of a request, from its peer address and header values; throws what to tell the user.
    public func agent(peer: String?, identity: String?, groups: String?) throws(IdentityError) -> Agent {
        guard let peer, trustedProxies.contains(peer) else { throw .untrustedPeer(peer ?? "unknown") }
        let name: String
        let groupList: String
        if let identity = identity?.trimmingCharacters(in: .whitespaces), !identity.isEmpty {
            name = identity
            groupList = groups ?? ""
        } else if let devUser, TrustedProxies.loopback.contains(peer) {
            name = devUser
            groupList = devGroups
        } else {
            throw .missingIdentity(identityHeader)
        }
        guard name.count <= 320, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidIdentity
        }
        let agent = Agent.from(name: name, groups: groupList)
        guard agent.isSupervisor || !agent.teams.isEmpty else { throw .noTeam(name) }
        return agent
    }
}

public enum IdentityError: Error, Equatable, CustomStringConvertible {
    case untrustedPeer(String)
    case missingIdentity(String)
    case invalidIdentity
    case noTeam(String)

    public var description: String {
        switch self {
        case .untrustedPeer(let peer):
            "This console only answers through its login proxy; \(peer) is not a trusted proxy (see --trusted-proxy)."
        case .missingIdentity(let header):
            "No identity: the login proxy did not send \(header). Sign in through the proxy."
        case .invalidIdentity: "The identity the proxy sent is not a valid login."
        case .noTeam(let name):
            "\(name) is in no Ombud team. Ask an administrator for a group \(Agent.teamGroupPrefix)<team> or \(Agent.supervisorGroup)."
        }
    }
}
