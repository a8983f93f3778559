import Foundation
import SQLKit
import Testing
import TrellisCore
@testable import TrellisData
@testable import TrellisWeb
import VaporTesting

/// `trellis backup` copies a running server's data consistently; `trellis restore` checks everything before it
/// puts anything in place (issue 15, point 8).
@Suite("Backup and restore")
struct BackupTests {
    actor Acknowledged {
        var ids: [UUID] = []
        func add(_ id: UUID) { ids.append(id) }
    }

    static func scratch(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("trellis-\(name)-\(UUID().uuidString)").path
    }

    @Test func aBackupTakenUnderWritesRestoresEveryAcknowledgedWriteWithTheChainWhole() async throws {
        try await withTrellis { app, f in
            // PostgreSQL is backed up with its own tools (README).
            guard app.sql.dialect.name == "sqlite" else { return }
            let dir = app.trellis.config.dataDirectory
            let acknowledged = Acknowledged()
            let writer = Task {
                var i = 0
                while !Task.isCancelled && i < 2000 {
                    let c = try await f.client(
                        app, first: "Writer\(i)", last: "Backup", ssn: String(format: "1234%05d", i), ssnQuality: 1)
                    await acknowledged.add(c.id)
                    i += 1
                }
            }
            while await acknowledged.ids.count < 20 { try await Task.sleep(for: .milliseconds(20)) }
            let before = await acknowledged.ids
            let out = Self.scratch("backup") + ".zip"
            defer { try? FileManager.default.removeItem(atPath: out) }
            let report = try await OffThread.run {
                try SQLiteBackup.create(dataDirectory: dir, out: out, includeKey: nil)
            }
            // The writer was registering clients before, during and after the copy.
            while await acknowledged.ids.count < before.count + 10 { try await Task.sleep(for: .milliseconds(20)) }
            writer.cancel()
            _ = try? await writer.value
            #expect(report.manifest.files.map(\.name) == ["trellis.sqlite", "audit.sqlite"])
            #expect(!report.manifest.includesKey)
            #expect(
                (try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int ?? 0) & 0o777 == 0o600
            )

            let fresh = Self.scratch("restored")
            defer { try? FileManager.default.removeItem(atPath: fresh) }
            let restored = try await OffThread.run {
                try SQLiteBackup.restore(archive: out, into: fresh, keyFile: FieldKeys.defaultPath(dataDirectory: dir))
            }
            #expect(restored.manifest == report.manifest)
            var config = app.trellis.config
            config.dataDirectory = fresh
            try await withApp(configure: { a in
                a.logger.logLevel = .warning
                try await TrellisApp.configure(a, config: config, deps: testDeps)
            }) { a in
                let store = SQLStore(database: a.db)
                for (i, id) in before.enumerated() {
                    let c = try #require(try await store.client(id: id))
                    #expect(c.ssn == String(format: "1234%05d", i))
                }
                let head = try #require(AuditChainHead(line: report.manifest.auditHead))
                let chain = try await store.verifyAuditChain(expecting: head)
                #expect(chain.intact, "\(String(describing: chain.fault))")
            }
        }
    }

    @Test func aDamagedKeylessOrMisplacedRestoreIsRefusedAndWritesNothing() async throws {
        try await withTrellis { app, f in
            guard app.sql.dialect.name == "sqlite" else { return }
            _ = try await f.client(app, ssn: "123456789", ssnQuality: 1)
            let dir = app.trellis.config.dataDirectory
            let out = Self.scratch("backup") + ".zip"
            defer { try? FileManager.default.removeItem(atPath: out) }
            _ = try SQLiteBackup.create(dataDirectory: dir, out: out, includeKey: nil)
            #expect(throws: BackupError.self) { try SQLiteBackup.create(dataDirectory: dir, out: out, includeKey: nil) }
            func refused(_ archive: String, key: String?, into existing: String? = nil) -> String {
                let target = existing ?? Self.scratch("target")
                do {
                    _ = try SQLiteBackup.restore(archive: archive, into: target, keyFile: key)
                    return "restored"
                } catch {
                    let left = (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []
                    if existing == nil {
                        #expect(!left.contains("trellis.sqlite") && !left.contains("audit.sqlite"))
                    }
                    return "\(error)"
                }
            }
            // No key given and none in the archive.
            #expect(refused(out, key: nil).contains("--key FILE"))
            // Another key.
            let stranger = Self.scratch("stranger.key")
            defer { try? FileManager.default.removeItem(atPath: stranger) }
            try FieldKeys.parse("1 " + Data(repeating: 9, count: 32).base64EncodedString(), source: stranger)
                .write(to: stranger, exclusive: true)
            #expect(refused(out, key: stranger).contains("does not hold"))
            // Into a directory that already holds a database.
            #expect(refused(out, key: FieldKeys.defaultPath(dataDirectory: dir), into: dir).contains("already holds"))
            // A damaged archive: one byte changed in the middle.
            var bytes = try Data(contentsOf: URL(fileURLWithPath: out))
            bytes[bytes.count / 2] ^= 0xFF
            let damaged = out + ".damaged.zip"
            try bytes.write(to: URL(fileURLWithPath: damaged))
            defer { try? FileManager.default.removeItem(atPath: damaged) }
            #expect(refused(damaged, key: FieldKeys.defaultPath(dataDirectory: dir)) != "restored")
            // With the key inside, it restores alone.
            let withKey = Self.scratch("with-key") + ".zip"
            defer { try? FileManager.default.removeItem(atPath: withKey) }
            _ = try SQLiteBackup.create(
                dataDirectory: dir, out: withKey, includeKey: FieldKeys.defaultPath(dataDirectory: dir))
            let target = Self.scratch("target")
            defer { try? FileManager.default.removeItem(atPath: target) }
            let r = try SQLiteBackup.restore(archive: withKey, into: target, keyFile: nil)
            #expect(r.keySource == "the archive")
            for name in ["trellis.sqlite", "audit.sqlite"] {
                let path = (target as NSString).appendingPathComponent(name)
                #expect(
                    (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? 0) & 0o777
                        == 0o600)
            }
            #expect(
                (try FileManager.default.attributesOfItem(atPath: FieldKeys.defaultPath(dataDirectory: target))[
                    .posixPermissions] as? Int ?? 0) & 0o777 == 0o600)
        }
    }
}
