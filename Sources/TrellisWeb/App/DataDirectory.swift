import Foundation

/// Which data directory a command uses when none is named, and what the command must say about it. A
/// command run where only a demo directory exists finds it instead of creating an empty database beside it,
/// and no command creates a database without saying so.
public enum DataDirectory {
    public static let standard = "./trellis-data"
    public static let demo = "./trellis-demo-data"

    /// Whether the command needs a database that already exists (it reads users) or may start a new one.
    public enum Need: Sendable {
        case existing
        case mayCreate
    }

    public struct Choice: Equatable, Sendable {
        public var path: String
        /// Printed before the command runs: which directory was picked, or that a new database is made.
        public var notes: [String]
    }

    public struct Missing: Error, Equatable, CustomStringConvertible {
        public var path: String
        public var description: String {
            "There is no Trellis database in \(path). Pass --data-dir with the directory the server uses"
                + " (`trellis serve --demo` keeps its data in \(DataDirectory.demo))."
        }
    }

    public static func databaseFile(in directory: String) -> String {
        (directory as NSString).appendingPathComponent("trellis.sqlite")
    }

    /// - Parameters:
    ///   - explicit: `--data-dir`, if given; `environment`: `TRELLIS_DATA_DIR`, if set.
    ///   - demo: the command seeds or serves the demo, whose default directory is `./trellis-demo-data`.
    ///   - postgres: `DATABASE_URL` is set, so no directory is used at all.
    public static func choose(
        explicit: String?, environment: String?, demo: Bool, postgres: Bool, need: Need,
        exists: (String) -> Bool
    ) throws(Missing) -> Choice {
        var notes: [String] = []
        let path: String
        if let explicit, !explicit.isEmpty {
            path = explicit
        } else if let environment, !environment.isEmpty {
            path = environment
        } else if demo {
            path = Self.demo
        } else if !exists(databaseFile(in: standard)) && exists(databaseFile(in: Self.demo)) {
            path = Self.demo
            notes.append("Using the demo database in \(Self.demo) (there is none in \(standard)).")
        } else {
            path = standard
        }
        if !postgres && !exists(databaseFile(in: path)) {
            if need == .existing { throw Missing(path: path) }
            notes.append("Creating a new, empty database in \(path).")
        }
        return Choice(path: path, notes: notes)
    }
}
