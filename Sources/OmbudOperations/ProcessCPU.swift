import Foundation

/// CPU time used by processes, read from `/proc` (Linux): the pipeline benchmark's account of where a ticket's
/// CPU goes (each stage, PostgreSQL, RabbitMQ). Elsewhere, or for a process that is gone, there is nothing to read.
public enum ProcessCPU {
    /// Clock ticks per second of `/proc`'s times.
    private static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// User plus system seconds of one process (all its threads), or nil if it cannot be read.
    public static func seconds(pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return nil }
        return secondsFromStat(stat)
    }

    /// User plus system seconds of every running process whose command name is `command` (e.g. "postgres").
    public static func seconds(command: String) -> Double {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var total = 0.0
        for entry in entries where entry.first?.isNumber == true {
            guard let comm = try? String(contentsOfFile: "/proc/\(entry)/comm", encoding: .utf8),
                  comm.trimmingCharacters(in: .newlines) == command,
                  let seconds = Int32(entry).flatMap(seconds(pid:)) else { continue }
            total += seconds
        }
        return total
    }

    /// utime + stime from a `/proc/<pid>/stat` line. The command name may hold spaces and parentheses: fields are
    /// counted after its closing parenthesis (utime and stime are fields 14 and 15 of the line).
    static func secondsFromStat(_ stat: String) -> Double? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / ticksPerSecond
    }
}
