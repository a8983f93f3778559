import Crypto
import Foundation
import TrellisCore
import VaporCSQLite
import ZIPFoundation

#if canImport(Glibc)
    import Glibc
#endif

/// What a backup holds and what it must be checked against when restored.
public struct BackupManifest: Codable, Sendable, Equatable {
    public struct File: Codable, Sendable, Equatable {
        public var name: String
        public var bytes: Int
        public var sha256: String
    }
    public struct KeyCheck: Codable, Sendable, Equatable {
        public var number: Int
        public var check: String
    }
    public var format = 1
    public var createdAt: Date
    /// The audit chain's head in the copy (`trellis-audit-head SEQ HASH`).
    public var auditHead: String
    /// The keys the copy's sealed fields need (their fingerprints, never the keys).
    public var keys: [KeyCheck]
    public var files: [File]
    /// Whether the key file is inside the archive.
    public var includesKey: Bool
}

public struct BackupReport: Sendable {
    public var manifest: BackupManifest
    public var path: String
    public var seconds: Double
}

public struct RestoreReport: Sendable {
    public var manifest: BackupManifest
    public var auditEntries: Int64
    public var keySource: String
    public var seconds: Double
}

public struct BackupError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ d: String) { description = d }
}

/// Online backup and checked restore of the embedded SQLite data directory.
///
/// A backup copies `trellis.sqlite` and `audit.sqlite` with SQLite's backup API from one read transaction over
/// both, so the two copies are one moment's state while a server goes on writing (a change commits to the
/// two files one after the other, so at worst the copy has a change whose audit entry was an instant behind).
/// Uploaded documents are rows of `trellis.sqlite` (sealed), so they come with it. The key file is left out
/// unless asked for: the archive then holds only sealed values, and is useless to whoever takes it without
/// the key kept elsewhere.
public enum SQLiteBackup {
    static let databaseFiles = ["trellis.sqlite", "audit.sqlite"]

    public static func create(dataDirectory: String, out: String, includeKey keyFile: String?) throws -> BackupReport {
        let start = Date()
        let fm = FileManager.default
        let main = (dataDirectory as NSString).appendingPathComponent("trellis.sqlite")
        guard fm.fileExists(atPath: main) else { throw BackupError("\(dataDirectory) holds no Trellis database.") }
        guard !fm.fileExists(atPath: out) else { throw BackupError("\(out) exists already: name a new file.") }
        let work = try scratch(beside: out)
        defer { try? fm.removeItem(atPath: work) }
        let (head, keys) = try copy(dataDirectory: dataDirectory, into: work)
        var names = databaseFiles
        if let keyFile {
            guard let text = try? String(contentsOfFile: keyFile, encoding: .utf8) else {
                throw BackupError("The key file \(keyFile) cannot be read.")
            }
            let parsed = try FieldKeys.parse(text, source: keyFile)
            for k in keys where parsed.key(k.number)?.check != k.check {
                throw BackupError("\(keyFile) does not hold key \(k.number), which the database needs.")
            }
            try Data(text.utf8).write(
                to: URL(fileURLWithPath: (work as NSString).appendingPathComponent("trellis.key")))
            names.append("trellis.key")
        }
        let manifest = BackupManifest(
            // Whole seconds: what the manifest's ISO 8601 keeps.
            createdAt: Date(timeIntervalSince1970: start.timeIntervalSince1970.rounded(.down)), auditHead: head.line,
            keys: keys,
            files: try names.map { try describe((work as NSString).appendingPathComponent($0), name: $0) },
            includesKey: keyFile != nil)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(manifest).write(
            to: URL(fileURLWithPath: (work as NSString).appendingPathComponent("manifest.json")))
        // Written beside the target, then renamed: a failed backup leaves no half archive under its name.
        let partial = out + ".partial"
        try? fm.removeItem(atPath: partial)
        let archive = try Archive(url: URL(fileURLWithPath: partial), accessMode: .create)
        for name in ["manifest.json"] + names {
            try archive.addEntry(
                with: name, relativeTo: URL(fileURLWithPath: work), compressionMethod: .deflate)
        }
        chmod(partial, 0o600)
        guard rename(partial, out) == 0 else {
            throw BackupError("Cannot write \(out): \(String(cString: strerror(errno))).")
        }
        return BackupReport(manifest: manifest, path: out, seconds: Date().timeIntervalSince(start))
    }

    /// Restores an archive into `dataDirectory`, which must hold no database: every file is checked against the
    /// manifest, each database's integrity, the audit chain (intact, with the manifest's head), and that the key
    /// (in the archive, or `keyFile`, or a `trellis.key` already in the directory) opens what the copy holds;
    /// only then are the files moved into place.
    public static func restore(archive path: String, into dataDirectory: String, keyFile: String?) throws
        -> RestoreReport
    {
        let start = Date()
        let fm = FileManager.default
        for name in databaseFiles where fm.fileExists(atPath: (dataDirectory as NSString).appendingPathComponent(name))
        {
            throw BackupError(
                "\(dataDirectory) already holds a database (\(name)). Restore into an empty directory, check it, then point Trellis at it."
            )
        }
        try fm.createDirectory(
            atPath: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let work = try scratch(beside: (dataDirectory as NSString).appendingPathComponent("restore"))
        defer { try? fm.removeItem(atPath: work) }
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw BackupError("\(path) is not a Trellis backup (not a readable zip archive).")
        }
        let manifest: BackupManifest
        do {
            guard let entry = archive["manifest.json"] else { throw BackupError("\(path) has no manifest.json.") }
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            manifest = try decoder.decode(BackupManifest.self, from: data)
        } catch let e as BackupError {
            throw e
        } catch {
            throw BackupError("\(path): the manifest cannot be read (\(error)).")
        }
        for file in manifest.files {
            guard let entry = archive[file.name], !file.name.contains("/") else {
                throw BackupError("\(path) lacks \(file.name), which its manifest lists.")
            }
            let target = (work as NSString).appendingPathComponent(file.name)
            _ = try archive.extract(entry, to: URL(fileURLWithPath: target))
            // The archive's own file modes are not trusted: Trellis's files are its user's alone.
            chmod(target, 0o600)
            let found = try describe(target, name: file.name)
            guard found == file else {
                throw BackupError(
                    "\(file.name) in \(path) is not the file the backup wrote (size or SHA-256 differs): the archive is damaged."
                )
            }
        }
        for name in databaseFiles {
            guard manifest.files.contains(where: { $0.name == name }) else {
                throw BackupError("\(path) lacks \(name).")
            }
            let problem = try integrity((work as NSString).appendingPathComponent(name))
            guard problem == "ok" else {
                throw BackupError("\(name) in \(path) fails SQLite's integrity check: \(problem)")
            }
        }
        // The chain, walked in the copy, must be whole and end where the backup said.
        let walk = AuditChainWalk(keptSeq: nil)
        guard
            let recorded = try AuditChainFileReader.walk(
                path: (work as NSString).appendingPathComponent("audit.sqlite"), into: walk)
        else { throw BackupError("The audit log in \(path) cannot be opened.") }
        if let fault = walk.fault { throw BackupError("The audit chain in \(path) is broken: \(fault)") }
        guard walk.head == recorded, walk.head.line == manifest.auditHead else {
            throw BackupError(
                "The audit chain in \(path) does not end at the head its manifest names (\(manifest.auditHead)).")
        }
        // The key that opens it.
        let keyText: String
        let keySource: String
        let inDirectory = FieldKeys.defaultPath(dataDirectory: dataDirectory)
        if manifest.includesKey {
            keyText = try String(
                contentsOfFile: (work as NSString).appendingPathComponent("trellis.key"), encoding: .utf8)
            keySource = "the archive"
        } else if let keyFile {
            guard let t = try? String(contentsOfFile: keyFile, encoding: .utf8) else {
                throw BackupError("The key file \(keyFile) cannot be read.")
            }
            keyText = t
            keySource = keyFile
        } else if let t = try? String(contentsOfFile: inDirectory, encoding: .utf8) {
            keyText = t
            keySource = inDirectory
        } else {
            throw BackupError(
                "\(path) holds no key: give the key file kept with it (--key FILE); the backup's fields open only with key \(manifest.keys.map { String($0.number) }.joined(separator: ", "))."
            )
        }
        let keys = try FieldKeys.parse(keyText, source: keySource)
        let missing = manifest.keys.filter { keys.key($0.number)?.check != $0.check }.map(\.number)
        guard missing.isEmpty else { throw FieldKeyError.missing(missing, source: keySource) }

        for name in databaseFiles {
            let from = (work as NSString).appendingPathComponent(name)
            let to = (dataDirectory as NSString).appendingPathComponent(name)
            guard rename(from, to) == 0 else {
                throw BackupError("Cannot move \(name) into \(dataDirectory): \(String(cString: strerror(errno))).")
            }
        }
        if keySource != inDirectory {
            try keys.write(to: inDirectory, exclusive: !fm.fileExists(atPath: inDirectory))
        }
        return RestoreReport(
            manifest: manifest, auditEntries: walk.entries, keySource: keySource,
            seconds: Date().timeIntervalSince(start))
    }

    // MARK: Pieces

    /// Copies both databases from one read transaction.
    static func copy(dataDirectory: String, into work: String) throws -> (AuditChainHead, [BackupManifest.KeyCheck]) {
        let main = (dataDirectory as NSString).appendingPathComponent("trellis.sqlite")
        let audit = (dataDirectory as NSString).appendingPathComponent("audit.sqlite")
        let src = try SQLiteHandle(path: main, flags: SQLITE_OPEN_READWRITE)
        try src.exec("ATTACH DATABASE '\(audit.replacingOccurrences(of: "'", with: "''"))' AS audit")
        try src.exec("BEGIN")
        defer { try? src.exec("COMMIT") }
        // Reading both starts the snapshot on both, before the copies.
        let head = try src.one("SELECT seq, hash FROM audit.audit_chain WHERE id = 1") { s in
            AuditChainHead(
                seq: sqlite_nio_sqlite3_column_int64(s, 0),
                hash: AuditChainHasher.hex(
                    UnsafeRawBufferPointer(
                        start: sqlite_nio_sqlite3_column_blob(s, 1), count: Int(sqlite_nio_sqlite3_column_bytes(s, 1))))
            )
        }
        guard let head else { throw BackupError("The audit log has no chain head: is this a Trellis data directory?") }
        var keys: [BackupManifest.KeyCheck] = []
        let sealed = try src.one("SELECT count(*) FROM main.sqlite_master WHERE name = 'field_keys'") {
            sqlite_nio_sqlite3_column_int64($0, 0)
        }
        if sealed == 1 {
            try src.each("SELECT number, key_check FROM main.field_keys ORDER BY number") { s in
                keys.append(
                    BackupManifest.KeyCheck(
                        number: Int(sqlite_nio_sqlite3_column_int64(s, 0)),
                        check: String(cString: sqlite_nio_sqlite3_column_text(s, 1))))
            }
        }
        for (schema, name) in [("main", "trellis.sqlite"), ("audit", "audit.sqlite")] {
            let dest = try SQLiteHandle(
                path: (work as NSString).appendingPathComponent(name), flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
            )
            guard let b = sqlite_nio_sqlite3_backup_init(dest.db, "main", src.db, schema) else {
                throw BackupError("Cannot start copying \(name): \(dest.message)")
            }
            let stepped = sqlite_nio_sqlite3_backup_step(b, -1)
            let finished = sqlite_nio_sqlite3_backup_finish(b)
            guard stepped == SQLITE_DONE, finished == SQLITE_OK else {
                throw BackupError("Copying \(name) failed: \(dest.message)")
            }
            // One self-contained file: no write-ahead log beside it.
            try dest.exec("PRAGMA journal_mode = DELETE")
        }
        return (head, keys)
    }

    static func integrity(_ path: String) throws -> String {
        let db = try SQLiteHandle(path: path, flags: SQLITE_OPEN_READONLY)
        var lines: [String] = []
        try db.each("PRAGMA integrity_check") { s in lines.append(String(cString: sqlite_nio_sqlite3_column_text(s, 0)))
        }
        return lines.joined(separator: "; ")
    }

    static func describe(_ path: String, name: String) throws -> BackupManifest.File {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw BackupError("Cannot read \(path).") }
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            bytes += chunk.count
        }
        return BackupManifest.File(name: name, bytes: bytes, sha256: AuditChainHasher.hex(Array(hasher.finalize())))
    }

    /// A private directory beside `path`, for the pieces of an archive.
    static func scratch(beside path: String) throws -> String {
        let dir = (path as NSString).deletingLastPathComponent
        let work = ((dir.isEmpty ? "." : dir) as NSString).appendingPathComponent(
            ".trellis-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(
                atPath: work, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw BackupError("Cannot write in \(dir.isEmpty ? "." : dir): \((error as NSError).localizedDescription)")
        }
        return work
    }
}
