import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation

/// A database that cannot do its work for a reason outside Trellis (a full disk, a read-only directory, a lock
/// another process holds, the server gone), said in words an operator can act on: which storage, what is
/// wrong, what to do. Users get 503 and a retry hint; nothing they sent was saved (the transaction rolled
/// back).
public struct StorageFailure: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        case full, readOnly, locked, unavailable
    }
    public var kind: Kind
    /// The data directory, or "PostgreSQL".
    public var place: String
    /// The database's own words, for the log.
    public var cause: String

    public var description: String {
        switch kind {
        case .full:
            return
                "The disk holding \(place) is full (\(cause)): free space on it; Trellis goes on by itself once it can write."
        case .readOnly:
            return
                "\(place) cannot be written (\(cause)): it is read-only or not Trellis's user's to write; mount it read-write or fix its owner and permissions."
        case .locked:
            return
                "The database at \(place) is locked by another process (\(cause)): a backup tool, a second program holding it open, or a long command; it will go on when the lock is released."
        case .unavailable:
            return
                "The database at \(place) cannot be reached or read (\(cause)): check the disk or the database server."
        }
    }

    /// The storage failure `error` is, if it is one.
    public static func from(_ error: any Error, place: String) -> StorageFailure? {
        if let f = error as? StorageFailure { return f }
        if let e = error as? SQLiteError {
            let kind: Kind
            switch e.reason {
            case .full: kind = .full
            case .readOnly, .readonlyInRecovery, .readonlyCantLock, .readonlyInRollback, .readonlyBackingMoved,
                .readonlyDirectory, .permission, .auth, .cantOpen, .cantOpenDirectory, .cantOpenInvalidPath,
                .cantOpenUnfollowedSymlink:
                kind = .readOnly
            case .busy, .busyInRecovery, .busyInSnapshot, .busyTimeout, .locked, .lockedBySharedCache,
                .lockedVirtualTable:
                kind = .locked
            case .ioError, .ioErrorFailedRead, .ioErrorIncompleteRead, .ioErrorFailedWrite, .ioErrorFailedSync,
                .ioErrorFailedDirSync, .ioErrorFailedTruncate, .ioErrorFailedStat, .ioErrorFailedAccess,
                .ioErrorFailedSharedMemOpen, .ioErrorFailedSharedMemSize, .ioErrorFailedSharedMemMap,
                .ioErrorFailedMemoryMap, .ioErrorCorruptedFilesystem, .corrupt, .notADatabase:
                kind = .unavailable
            default:
                return nil
            }
            return StorageFailure(kind: kind, place: place, cause: e.description)
        }
        if let e = error as? PSQLError {
            switch e.serverInfo?[.sqlState] {
            case "53100": return StorageFailure(kind: .full, place: "PostgreSQL", cause: "disk full")
            case "25006": return StorageFailure(kind: .readOnly, place: "PostgreSQL", cause: "read-only transaction")
            case "55P03", "40P01":
                return StorageFailure(kind: .locked, place: "PostgreSQL", cause: "lock not available")
            case "57P01", "57P02", "57P03", "53300":
                return StorageFailure(
                    kind: .unavailable, place: "PostgreSQL",
                    cause: "the server is shutting down, starting or full of connections")
            case nil where e.code == .connectionError || e.code == .serverClosedConnection:
                return StorageFailure(kind: .unavailable, place: "PostgreSQL", cause: "connection lost")
            default: return nil
            }
        }
        return nil
    }
}
