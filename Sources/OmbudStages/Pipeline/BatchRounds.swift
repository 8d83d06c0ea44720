/// Splits a batch into rounds that can each be handled set-based: a message goes one round after the last earlier
/// message that shares a key with it (a case, a customer), so messages about the same thing are handled in their
/// order, each seeing what the earlier ones wrote, while unrelated messages share a round.
enum BatchRounds {
    /// Message indices per round, in order; every index appears once.
    static func rounds(keys: [[String]]) -> [[Int]] {
        var roundOfKey: [String: Int] = [:]
        var rounds: [[Int]] = []
        for (index, messageKeys) in keys.enumerated() {
            let round = messageKeys.compactMap { roundOfKey[$0] }.max().map { $0 + 1 } ?? 0
            if round == rounds.count { rounds.append([]) }
            rounds[round].append(index)
            for key in messageKeys { roundOfKey[key] = round }
        }
        return rounds
    }
}
