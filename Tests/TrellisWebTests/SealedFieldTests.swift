import Foundation
import SQLKit
import Testing
import TrellisCore
@testable import TrellisData
@testable import TrellisWeb
import VaporTesting

/// SSNs and documents are sealed with a key kept outside the database; exact search and the duplicate check
/// go through a keyed hash; keys rotate; the data directory is the operator's alone (issue 15, point 7).
@Suite("Sealed fields")
struct SealedFieldTests {
    static let ssn = "123456789"

    @Test func aSealedValueOpensOnlyWithItsKeyAndItsRow() throws {
        let keys = try FieldKeys.parse("1 " + Data(repeating: 7, count: 32).base64EncodedString(), source: "test")
        let row = UUID()
        let sealed = try keys.seal(Self.ssn, row: row)
        #expect(sealed.hasPrefix("k1:") && !sealed.contains(Self.ssn))
        #expect(try keys.open(sealed, row: row) == Self.ssn)
        // Each seal has its own nonce: equal SSNs do not look equal in the file.
        #expect(try keys.seal(Self.ssn, row: row) != sealed)
        #expect(throws: FieldKeyError.damaged) { try keys.open(sealed, row: UUID()) }
        var bytes = Array(sealed.utf8)
        bytes[10] = bytes[10] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(throws: FieldKeyError.damaged) { try keys.open(String(decoding: bytes, as: UTF8.self), row: row) }
        let other = try FieldKeys.parse("1 " + Data(repeating: 8, count: 32).base64EncodedString(), source: "other")
        #expect(throws: FieldKeyError.damaged) { try other.open(sealed, row: row) }
        #expect(other.index(Self.ssn) != keys.index(Self.ssn))
        #expect(keys.index(Self.ssn) == keys.index(Self.ssn))
        // A later key is current; the earlier one still opens what it sealed.
        let both = keys.adding()
        #expect(both.current.number == 2)
        #expect(try both.open(sealed, row: row) == Self.ssn)
        #expect(throws: FieldKeyError.unknownKey(1, source: "test")) { try both.currentOnly().open(sealed, row: row) }
        #expect(throws: FieldKeyError.badLine(source: "x", line: 1)) { try FieldKeys.parse("1 c2hvcnQ=", source: "x") }
        #expect(throws: FieldKeyError.empty("x")) { try FieldKeys.parse("# nothing\n", source: "x") }
        let doc = Data("%PDF-1.4 card".utf8)
        let sealedDoc = try keys.seal(bytes: doc, row: row)
        #expect(sealedDoc.range(of: doc) == nil)
        #expect(try keys.open(bytes: sealedDoc, row: row) == doc)
    }

    @Test func theSSNIsStoredSealedAndFoundThroughItsKeyedHash() async throws {
        try await withTrellis { app, f in
            let client = try await f.client(app, first: "Rosa", last: "Quintero", ssn: "123-45-6789", ssnQuality: 1)
            let row = try #require(
                try await app.sql.raw("SELECT ssn, ssn_hmac, ssn_invalid FROM clients WHERE id = \(bind: client.id)")
                    .first())
            let stored = try row.decode(column: "ssn", as: String.self)
            #expect(stored.hasPrefix("k1:") && !stored.contains(Self.ssn) && !stored.contains("6789"))
            #expect(try row.decode(column: "ssn_hmac", as: String.self) == (try app.db.fieldKeys.index(Self.ssn)))
            #expect(try row.decode(column: "ssn_invalid", as: Int.self) == 0)
            let store = SQLStore(database: app.db)
            #expect(try await store.client(id: client.id)?.ssn == Self.ssn)

            let clients = ClientService(store: store, deps: testDeps)
            for typed in ["123-45-6789", "123456789", " 123 45 6789 "] {
                #expect(try await clients.search(typed, by: f.actor(.caseManager)).map(\.id) == [client.id])
            }
            #expect(try await clients.search("123-45-6780", by: f.actor(.caseManager)).isEmpty)
            // Another agency's search never reaches it.
            #expect(try await clients.search("123-45-6789", by: ActingUser(f.otherAgencyStaff)).isEmpty)

            // The same SSN under another name and birth date is still named as a likely duplicate.
            var probe = client
            probe.id = UUID()
            probe.firstName = "Maria"
            probe.lastName = "Lopez"
            probe.birthDate = LocalDate("1990-01-01")
            let dupes = try await clients.likelyDuplicates(of: probe, agencyID: f.agencyA.id)
            #expect(dupes.first?.client.id == client.id)
            #expect(dupes.first?.reasons.first == "same SSN")
            #expect((dupes.first?.score ?? 0) >= DuplicateMatcher.sameSSNScore)

            // The data-quality report still knows an SSN that breaks HUD's rules without opening it.
            let bad = try await f.client(app, first: "Lu", last: "Chen", ssn: "123-00-6789", ssnQuality: 1)
            let invalid = try await app.sql.raw("SELECT ssn_invalid FROM clients WHERE id = \(bind: bad.id)").first()?
                .decode(column: "ssn_invalid", as: Int.self)
            #expect(invalid == 1)
        }
    }

    @Test func documentsAreStoredSealed() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            let client = try await f.client(app)
            let pdf = Data("%PDF-1.4\n1 0 obj identity card 123-45-6789\n".utf8)
            let d = try await DocumentService(store: store, deps: testDeps).upload(
                clientID: client.id,
                DocumentUpload(
                    type: "identity", filename: "card.pdf", caseID: nil, description: nil, bytes: pdf,
                    sha256: sha256Hex(pdf)), by: f.actor(.caseManager))
            let raw = try #require(
                try await app.sql.raw("SELECT bytes FROM document_contents WHERE id = \(bind: d.id)").first()?
                    .decode(column: "bytes", as: Data.self))
            #expect(raw.range(of: Data("identity card".utf8)) == nil)
            #expect(FieldKeys.keyNumber(bytes: raw) == 1)
            #expect(
                try await DocumentService(store: store, deps: testDeps).download(d.id, by: f.actor(.caseManager)).1
                    == pdf)
        }
    }

    @Test func rotationResealsEverythingAndTheOldKeyCanGo() async throws {
        try await withTrellis { app, f in
            let client = try await f.client(app, ssn: Self.ssn, ssnQuality: 1)
            let store = SQLStore(database: app.db)
            let factor = try await SecondFactorService(store: store, deps: testDeps).begin(by: f.actor(.caseManager))
            let old = try app.db.fieldKeys
            let both = old.adding()
            let done = try await store.resealFields(with: both)
            #expect(done.from == [1] && done.to == 2 && done.ssns == 1 && done.secrets == 1)
            // The authenticator secret is resealed too, and opens to the same key.
            let secret = try #require(
                try await app.sql.raw("SELECT secret FROM second_factors WHERE staff_id = \(bind: f.caseManager.id)")
                    .first()?.decode(column: "secret", as: String.self))
            #expect(FieldKeys.keyNumber(secret) == 2)
            #expect(try both.currentOnly().open(secret, row: f.caseManager.id) == Base32.encode(factor.secret))
            let stored = try await app.sql.raw("SELECT ssn, ssn_hmac FROM clients WHERE id = \(bind: client.id)")
                .first()
            #expect(FieldKeys.keyNumber(try #require(stored).decode(column: "ssn", as: String.self)) == 2)
            let newOnly = both.currentOnly()
            #expect(try stored?.decode(column: "ssn_hmac", as: String.self) == newOnly.index(Self.ssn))
            #expect(
                try newOnly.open(try #require(stored).decode(column: "ssn", as: String.self), row: client.id)
                    == Self.ssn)
            // The database now needs key 2 alone: the old keys would be refused.
            try await FieldKeyRecord.verify(newOnly, on: app.sql)
            await #expect(throws: FieldKeyError.missing([2], source: old.source)) {
                try await FieldKeyRecord.verify(old, on: app.sql)
            }
            // Keys that cannot open what is there change nothing.
            let stranger = try FieldKeys.parse(
                "5 " + Data(repeating: 1, count: 32).base64EncodedString(), source: "stranger")
            await #expect(throws: FieldKeyError.self) { try await store.resealFields(with: stranger) }
            let after = try await app.sql.raw("SELECT ssn FROM clients WHERE id = \(bind: client.id)").first()?
                .decode(column: "ssn", as: String.self)
            #expect(after == (try stored?.decode(column: "ssn", as: String.self)))
        }
    }

    @Test func theRotateCommandLeavesTheNewKeyAloneAndTheOldOnesRetired() async throws {
        var config = TrellisConfig()
        try await withTrellis(adjust: { config = $0 }) { app, f in
            let client = try await f.client(app, ssn: Self.ssn, ssnQuality: 1)
            let (done, path, retired) = try await TrellisRunner.rotateKeys(config: config)
            #expect(done.ssns == 1 && done.to == 2)
            let now = try FieldKeys.load(path: path, create: false)
            #expect(now.keys.map(\.number) == [2])
            #expect(try FieldKeys.load(path: retired, create: false).keys.map(\.number) == [1])
            let stored = try #require(
                try await app.sql.raw("SELECT ssn FROM clients WHERE id = \(bind: client.id)").first()?
                    .decode(column: "ssn", as: String.self))
            #expect(try now.open(stored, row: client.id) == Self.ssn)
            let actions = try await app.sql.raw("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1").first()?
                .decode(column: "action", as: String.self)
            #expect(actions == "key.rotate")
            // Not while a server holds the data directory.
            let serving = try DataDirectoryLock.shared(config.dataDirectory)
            defer { serving.release() }
            await #expect(throws: DataDirectoryBusy.self) { try await TrellisRunner.rotateKeys(config: config) }
        }
    }

    @Test func theMigrationSealsWhatWasInClearAndBack() async throws {
        try await withTrellis { app, f in
            let client = try await f.client(app, ssn: Self.ssn, ssnQuality: 1)
            try await app.db.withConnection { conn in
                try await M030_SealedFields().revert(on: conn)
                let clear = try await conn.sql.raw("SELECT ssn FROM clients WHERE id = \(bind: client.id)").first()?
                    .decode(column: "ssn", as: String.self)
                #expect(clear == Self.ssn)
                try await M030_SealedFields().prepare(on: conn)
                // Read back on the connection that changed the table. Dropping and adding the columns moves them
                // (purged_at now comes before them); the other connection's first `SELECT *` afterwards named its
                // columns from its old schema, so ssn_invalid read the keyed hash (seen in full parallel runs).
                let row = try await conn.sql.raw("SELECT ssn, ssn_invalid FROM clients WHERE id = \(bind: client.id)")
                    .first()
                #expect(FieldKeys.keyNumber(try #require(row).decode(column: "ssn", as: String.self)) == 1)
                #expect(try row?.decode(column: "ssn_invalid", as: Int.self) == 0)
                #expect(try await SQLStore(database: conn).client(id: client.id)?.ssn == Self.ssn)
            }
        }
    }

    @Test func theDataDirectoryIsTheOperatorsAloneAndAWrongKeyIsRefused() async throws {
        var directory = ""
        try await withTrellis(adjust: { directory = $0.dataDirectory }) { app, f in
            _ = try await f.client(app, ssn: Self.ssn, ssnQuality: 1)
            func mode(_ name: String) throws -> Int {
                let path = name.isEmpty ? directory : (directory as NSString).appendingPathComponent(name)
                return (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? 0) & 0o777
            }
            #expect(try mode("") == 0o700)
            #expect(try mode("trellis.key") == 0o600)
            if app.sql.dialect.name == "sqlite" {
                for name in ["trellis.sqlite", "trellis.sqlite-wal", "audit.sqlite"] {
                    #expect(try mode(name) == 0o600)
                }
            }
        }
        // A database whose key file is replaced by another key: the instance refuses to start and says why.
        try await withTrellis { app, f in
            _ = try await f.client(app, ssn: Self.ssn, ssnQuality: 1)
            let other = try FieldKeys.parse(
                "1 " + Data(repeating: 3, count: 32).base64EncodedString(), source: "/elsewhere/trellis.key")
            await #expect(throws: FieldKeyError.missing([1], source: "/elsewhere/trellis.key")) {
                try await FieldKeyRecord.verify(other, on: app.sql)
            }
        }
    }

    @Test func aNewKeyFileIsMadeWholeOnceEvenWhenTwoProcessesRace() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trellis-key-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let made = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try FieldKeys.configured(environment: [:], dataDirectory: dir).current.check
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(made.count == 1)
        let path = FieldKeys.defaultPath(dataDirectory: dir)
        #expect(
            (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? 0) & 0o777 == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["trellis.key"])
        // TRELLIS_KEY_FILE must exist: a missing one is never made up.
        #expect(throws: FieldKeyError.unreadable(dir + "/missing.key")) {
            try FieldKeys.configured(environment: ["TRELLIS_KEY_FILE": dir + "/missing.key"], dataDirectory: dir)
        }
    }
}
