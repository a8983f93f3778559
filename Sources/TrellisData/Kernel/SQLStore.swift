import Fluent
import Foundation
import SQLKit
import TrellisCore

extension SQLStore {
    static func bodyText<R: Encodable>(_ r: R) throws -> String {
        String(decoding: try JSONEncoder().encode(r), as: UTF8.self)
    }

    static func bind(_ v: IndexValue) -> any SQLExpression {
        switch v {
        case .uuid(let u): u.map { SQLBind($0) } ?? SQLLiteral.null
        case .text(let t): t.map { SQLBind($0) } ?? SQLLiteral.null
        case .int(let i): i.map { SQLBind($0) } ?? SQLLiteral.null
        }
    }

    public func insertRecord<R: StoredRecord>(_ r: R) async throws {
        let idx = r.index.sorted { $0.key < $1.key }
        try await sql.insert(into: R.table).columns(["id", "version", "body"] + idx.map(\.key))
            .values(
                [SQLBind(r.id), SQLBind(r.version), SQLBind(try Self.bodyText(r))] + idx.map { Self.bind($0.value) }
            ).run()
    }

    public func updateRecord<R: StoredRecord>(_ r: R, expectedVersion: Int) async throws -> Bool {
        let q = sql.update(R.table).set("version", to: r.version).set("body", to: try Self.bodyText(r))
        for (k, v) in r.index { q.set(k, to: Self.bind(v)) }
        return !(try await q.where("id", .equal, r.id).where("version", .equal, expectedVersion).returning("id").all())
            .isEmpty
    }

    public func record<R: StoredRecord>(_ type: R.Type, id: UUID) async throws -> R? {
        try await records(type, [.equals("id", .uuid(id))], order: [], limit: 1).first
    }

    public func records<R: StoredRecord>(_ type: R.Type, _ filters: [RecordFilter], order: [RecordOrder], limit: Int?)
        async throws -> [R]
    {
        let q = sql.select().column("body").from(R.table)
        for f in filters {
            switch f {
            case .equals(let c, let v): q.where(SQLIdentifier(c), .equal, Self.bind(v))
            case .atMost(let c, let v): q.where(SQLIdentifier(c), .lessThanOrEqual, Self.bind(v))
            case .atLeast(let c, let v): q.where(SQLIdentifier(c), .greaterThanOrEqual, Self.bind(v))
            case .isNull(let c): q.where(SQLIdentifier(c), .is, SQLLiteral.null)
            case .contains(let c, let s):
                // A plain substring test: LIKE would read "_" and "%" in codes and searches as wildcards.
                q.where(
                    SQLFunction(isSQLite ? "instr" : "strpos", args: SQLIdentifier(c), SQLBind(s)), .greaterThan,
                    SQLLiteral.numeric("0"))
            case .oneOf(let c, let vs):
                if vs.isEmpty { return [] }
                q.where(SQLIdentifier(c), .in, SQLGroupExpression(vs.map(Self.bind)))
            }
        }
        for o in order { q.orderBy(o.column, o.descending ? .descending : .ascending) }
        q.orderBy("id")
        if let limit { q.limit(limit) }
        let decoder = JSONDecoder()
        return try await q.all().map { row in
            try decoder.decode(R.self, from: Data(try row.decode(column: "body", as: String.self).utf8))
        }
    }

    public func deleteRecord<R: StoredRecord>(_ type: R.Type, id: UUID) async throws {
        try await sql.delete(from: R.table).where("id", .equal, id).run()
    }

    /// One multi-row INSERT with every value bound (batches stay under SQLite's 32,766 parameters).
    func bulkInsert<R: BulkRow>(_ table: String, _ rows: [R]) async throws {
        guard !rows.isEmpty else { return }
        let insert = sql.insert(into: table).columns(R.columns)
        for row in rows { insert.values(row.values.map { SQLBind($0) as any SQLExpression }) }
        try await insert.run()
    }
}

/// The one storage implementation, on SQLKit with bound parameters, for SQLite and PostgreSQL.
/// Fluent provides the connection pool, transactions and migrations.
public struct SQLStore: TrellisStore {
    let db: any Database

    let inTransaction: Bool

    var sql: any SQLDatabase { db as! any SQLDatabase }

    public var isSQLite: Bool { sql.dialect.name == "sqlite" }

    /// NULLs are written as NULLs: a batch of rows keeps one column set, and an update can clear a field.
    static let encoder = SQLQueryEncoder(nilEncodingStrategy: .asNil)

    public init(database: any Database) {
        self.db = database
        self.inTransaction = false
        self.auditBuffer = nil
    }

    /// The audit entries of the transaction this store is in, written when its body is done.
    let auditBuffer: AuditBuffer?

    init(database: any Database, inTransaction: Bool, auditBuffer: AuditBuffer? = nil) {
        self.db = database
        self.inTransaction = inTransaction
        self.auditBuffer = auditBuffer
    }

    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any TrellisStore) async throws -> T) async throws
        -> T
    {
        if inTransaction { return try await body(self) }
        return try await db.transaction { tx in
            let store = SQLStore(database: tx, inTransaction: true, auditBuffer: AuditBuffer())
            let result = try await body(store)
            try await store.writeChained(store.auditBuffer?.take() ?? [])
            return result
        }
    }
}

extension Array {
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}

/// A transaction's audit entries, in the order its body appended them.
final class AuditBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [AuditEntry] = []
    func add(_ more: [AuditEntry]) { lock.withLock { entries += more } }
    func take() -> [AuditEntry] {
        lock.withLock {
            defer { entries = [] }
            return entries
        }
    }
}
