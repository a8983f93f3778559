import Foundation
import Testing
@testable import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

@Suite("Releases and shared records")
struct ReleaseTests {
    static func verbal(
        to kind: String = "organization", agency: UUID? = nil, _ categories: [String], ends: String = "2027-01-31"
    )
        -> String
    {
        let cats = categories.map { "\"\($0)\"" }.joined(separator: ",")
        let to = agency.map { ",\"recipientAgencyID\":\"\($0)\"" } ?? ",\"recipientName\":\"Eastside Clinic\""
        return """
            {"recipientKind":"\(kind)"\(to),"categories":[\(cats)],"purpose":"Coordinating care",\
            "startsOn":"2026-06-01","endsOn":"\(ends)","method":"verbal","witnessName":"Dana Reyes"}
            """
    }

    @Test func aReleaseRefusesBadInputRecordsWhatWasGivenAndRevokesOnce() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            let client = try await f.client(app, first: "Noor", last: "Haddad")
            _ = try await f.openCase(app, client: client)
            let path = "/api/v1/clients/\(client.id)/releases"
            let bad: [(String, String)] = [
                (
                    #"{"recipientKind":"organization","recipientName":"Clinic","categories":["identity"],"purpose":"Care","startsOn":"2026-06-10","endsOn":"2026-06-01","method":"verbal","witnessName":"W"}"#,
                    "endsOn"
                ),
                (
                    #"{"recipientKind":"organization","recipientName":"Clinic","categories":["identity","horoscope"],"purpose":"Care","startsOn":"2026-06-01","endsOn":"2026-12-01","method":"verbal","witnessName":"W"}"#,
                    "categories"
                ),
                (
                    #"{"recipientKind":"organization","recipientName":"Clinic","categories":[],"purpose":"Care","startsOn":"2026-06-01","endsOn":"2026-12-01","method":"verbal","witnessName":"W"}"#,
                    "categories"
                ),
                (
                    #"{"recipientKind":"organization","recipientName":"Clinic","categories":["identity"],"purpose":"Care","startsOn":"2026-06-01","endsOn":"2026-12-01","method":"signed_form"}"#,
                    "documentID"
                ),
                (
                    #"{"recipientKind":"person","recipientName":"Aunt","categories":["identity"],"purpose":"Care","startsOn":"2026-06-01","endsOn":"2026-12-01","method":"verbal"}"#,
                    "witnessName"
                ),
                (Self.verbal(to: "agency", agency: f.agencyA.id, ["identity"]), "recipientAgencyID"),
                (Self.verbal(["identity"], ends: "2031-01-01"), "endsOn")
            ]
            for (json, field) in bad {
                let r = try await app.api(.POST, path, as: f.caseManager, fixture: f, json: json)
                #expect(r.status == .unprocessableEntity && r.body.contains("\"\(field)\""), "\(field): \(r.body)")
            }
            // Consenting on behalf of another agency's client: not found, nothing written.
            let foreign = try await app.api(
                .POST, path, as: f.otherAgencyStaff, fixture: f, json: Self.verbal(["identity"]))
            #expect(foreign.status == .notFound)
            // Off the care team: refused.
            let outsider = try await app.api(
                .POST, path, as: f.caseManager2, fixture: f, json: Self.verbal(["identity"]))
            #expect(outsider.status == .forbidden)
            #expect(try await store.records(Release.self, [.equals("client_id", .uuid(client.id))]).isEmpty)
            // A good one, shown on the client's page.
            let ok = try await app.api(
                .POST, path, as: f.caseManager, fixture: f,
                json: Self.verbal(["identity", "case_notes", "substance_use"]))
            #expect(ok.status == .created)
            let id = try #require(try ok.json()["id"] as? String)
            let page = try await app.web(.GET, "/clients/\(client.id)", as: f.caseManager, fixture: f)
            #expect(page.body.contains("Eastside Clinic") && page.body.contains("Substance-use treatment records"))
            // Revoking: needs the version, happens once.
            let revoke = "/api/v1/releases/\(id)/revoke"
            #expect(
                try await app.api(.POST, revoke, as: f.caseManager, fixture: f, json: "{}").status
                    == .preconditionRequired)
            let done = try await app.api(
                .POST, revoke, as: f.caseManager, fixture: f, json: #"{"reason":"Client asked"}"#,
                headers: ["If-Match": "\"1\""])
            let revokedAt = try done.json()["revokedAt"] as? String
            #expect(done.status == .ok && revokedAt != nil)
            let twice = try await app.api(
                .POST, revoke, as: f.caseManager, fixture: f, json: "{}", headers: ["If-Match": "\"2\""])
            #expect(twice.status == .conflict && twice.body.contains("already revoked"))
            // The web form asks to confirm first.
            let web = try await app.web(
                .POST, "/releases/\(id)/revoke", as: f.caseManager, fixture: f, form: [("version", "2")])
            #expect(web.status == .unprocessableEntity || web.status == .conflict)
        }
    }

    @Test func releasesEndingWithinThirtyDaysAreOnTheCaseManagersDashboard() async throws {
        try await withTrellis { app, f in
            let client = try await f.client(app, first: "Tomasz", last: "Wojcik")
            _ = try await f.openCase(app, client: client)
            let path = "/api/v1/clients/\(client.id)/releases"
            // testNow is 2026-06-15: one ends in 20 days, one in 40.
            let soon = try await app.api(
                .POST, path, as: f.caseManager, fixture: f, json: Self.verbal(["identity"], ends: "2026-07-05"))
            let later = try await app.api(
                .POST, path, as: f.caseManager, fixture: f, json: Self.verbal(["contact"], ends: "2026-07-25"))
            #expect(soon.status == .created && later.status == .created)
            let today = try await app.web(.GET, "/today", as: f.caseManager, fixture: f)
            #expect(today.body.contains("Releases ending soon") && today.body.contains("ends 2026-07-05"))
            #expect(!today.body.contains("ends 2026-07-25"))
            // Not on someone else's dashboard.
            let other = try await app.web(.GET, "/today", as: f.caseManager2, fixture: f)
            #expect(!other.body.contains("Releases ending soon"))
        }
    }

    @Test func anotherAgencyOfTheContinuumSeesExactlyWhatTheReleaseCoversUntilItIsRevoked() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            for a in [f.agencyA, f.agencyB] { try await store.setContinuum(agencyID: a.id, "XX-500") }
            let client = try await f.client(app, first: "Amara", last: "Osei", ssn: "123456789", ssnQuality: 1)
            let kase = try await f.openCase(app, client: client)
            _ = try await NoteService(store: store, deps: testDeps).sign(
                try await NoteService(store: store, deps: testDeps).create(
                    caseID: kase.id,
                    NoteInput(
                        contactType: "phone", contactDate: "2026-06-01", durationMinutes: 20, format: "narrative",
                        sections: ["narrative": "NOTE-A housing search"]), by: f.actor(.caseManager)
                ).id, expectedVersion: 1, by: f.actor(.caseManager))
            _ = try await f.assessment(app, case: kase)
            // A victim-service program's case of the same client.
            var dv = Program(
                id: UUID(), agencyID: f.agencyA.id, name: "Safe Harbor", type: .emergencyShelter,
                contactFrequencyDays: 30,
                createdAt: testNow)
            dv.restriction = .domesticViolence
            try await store.insertProgram(dv)
            let dvCase = try await CaseService(store: store, deps: testDeps).open(
                clientID: client.id,
                CaseInput(programID: dv.id, primaryCaseManagerID: f.caseManager.id, openedOn: "2026-05-01"),
                by: f.actor(.caseManager))
            let dvNote = try await NoteService(store: store, deps: testDeps).create(
                caseID: dvCase.id,
                NoteInput(
                    contactType: "phone", contactDate: "2026-06-02", durationMinutes: 20, format: "narrative",
                    sections: ["narrative": "DVNOTE safety plan"]), by: f.actor(.caseManager))
            _ = try await NoteService(store: store, deps: testDeps).sign(
                dvNote.id, expectedVersion: 1, by: f.actor(.caseManager))
            let b = f.otherAgencyStaff
            // Agency B registers the same person: it learns that she is known elsewhere, nothing more.
            let mine = try await f.client(app, by: b, first: "Amara", last: "Osei")
            _ = try await f.openCase(app, client: mine, by: b)
            let bPage = try await app.web(.GET, "/clients/\(mine.id)", as: b, fixture: f)
            #expect(bPage.body.contains("known to 1 other agency"))
            #expect(!bPage.body.contains("Agency A") && !bPage.body.contains("NOTE-A"))
            // Nothing shared yet.
            let empty = try await app.web(.GET, "/shared", as: b, fixture: f)
            #expect(empty.body.contains("No client has a release naming your agency"))
            // A release to agency B of identity and case notes.
            let made = try await app.api(
                .POST, "/api/v1/clients/\(client.id)/releases", as: f.caseManager, fixture: f,
                json: Self.verbal(to: "agency", agency: f.agencyB.id, ["identity", "case_notes"]))
            #expect(made.status == .created)
            let releaseID = try #require(try made.json()["id"] as? String)
            // Identity is not shown while the client is in a victim-service program and the release does not name it.
            var shared = try await app.web(.GET, "/shared/\(releaseID)", as: b, fixture: f)
            #expect(shared.status == .ok && shared.body.contains("NOTE-A"))
            #expect(!shared.body.contains("Amara Osei") && !shared.body.contains("DVNOTE"))
            #expect(!shared.text.contains("6789") && !shared.body.contains("PHQ9"))
            // Naming it lets identity and that program's notes through.
            let named = try await app.api(
                .POST, "/api/v1/clients/\(client.id)/releases", as: f.caseManager, fixture: f,
                json: Self.verbal(to: "agency", agency: f.agencyB.id, ["identity", "case_notes", "domestic_violence"]))
            let namedID = try #require(try named.json()["id"] as? String)
            shared = try await app.web(.GET, "/shared/\(namedID)", as: b, fixture: f)
            #expect(shared.body.contains("Amara Osei") && shared.body.contains("DVNOTE"))
            #expect(!shared.body.contains("PHQ9") && !shared.text.contains("6789"))
            // Agency A's staff read nothing through agency B's door, and a third party's id is not found.
            #expect(try await app.web(.GET, "/shared/\(namedID)", as: f.caseManager2, fixture: f).status == .notFound)
            // Each read is in agency A's log, as a consented disclosure under the release.
            let entries = try await store.auditEntries(
                AuditQuery(clientID: client.id, limit: 500, offset: 0), agencyID: f.agencyA.id)
            let reads = entries.filter { $0.action == "shared.view" && $0.actorID == b.id }
            #expect(!reads.isEmpty && reads.allSatisfy { $0.purpose == .consent })
            #expect(reads.contains { $0.basisID?.uuidString == namedID.uppercased() })
            // And in the client's accounting of disclosures, with who, which agency and which release.
            let accounting = try await app.web(.GET, "/clients/\(client.id)/disclosures", as: f.caseManager, fixture: f)
            #expect(accounting.status == .ok)
            for shown in ["Fx-Othercm", "Agency B", "Release of information", "Coordinating care"] {
                #expect(accounting.body.contains(shown), "accounting lacks \(shown)")
            }
            // Revoking ends it at once.
            for id in [releaseID, namedID] {
                _ = try await app.api(
                    .POST, "/api/v1/releases/\(id)/revoke", as: f.caseManager, fixture: f, json: "{}",
                    headers: ["If-Match": "\"1\""])
            }
            #expect(try await app.web(.GET, "/shared/\(namedID)", as: b, fixture: f).status == .notFound)
            #expect(try await app.api(.GET, "/api/v1/shared/\(namedID)", as: b, fixture: f).status == .notFound)
        }
    }

    @Test func aReferralToAnotherAgencyCarriesOnlyTheReleaseAndIsAcceptedIntoItsCase() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            let client = try await f.client(app, first: "Kwame", last: "Mensah", ssn: "123456789", ssnQuality: 1)
            let kase = try await f.openCase(app, client: client)
            // Without a release naming the agency, no referral to it.
            let noRelease = try await app.api(
                .POST, "/api/v1/cases/\(kase.id)/referrals", as: f.caseManager, fixture: f,
                json: "{\"releaseID\":\"\(UUID())\",\"reason\":\"Family shelter\",\"send\":true}")
            #expect(noRelease.status == .unprocessableEntity && noRelease.body.contains("releaseID"))
            let made = try await app.api(
                .POST, "/api/v1/clients/\(client.id)/releases", as: f.caseManager, fixture: f,
                json: Self.verbal(to: "agency", agency: f.agencyB.id, ["identity"]))
            let releaseID = try #require(try made.json()["id"] as? String)
            let sent = try await app.api(
                .POST, "/api/v1/cases/\(kase.id)/referrals", as: f.caseManager, fixture: f,
                json: "{\"releaseID\":\"\(releaseID)\",\"reason\":\"Family shelter\",\"send\":true}")
            #expect(sent.status == .created)
            let referralID = try #require(try sent.json()["id"] as? String)
            let b = f.otherAgencyStaff
            let inbox = try await app.web(.GET, "/shared", as: b, fixture: f)
            #expect(inbox.body.contains("Kwame Mensah") && inbox.body.contains("Family shelter"))
            // Accepting needs one of the agency's own programs.
            let wrong = try await app.api(
                .POST, "/api/v1/referrals/\(referralID)/accept", as: b, fixture: f,
                json: "{\"programID\":\"\(f.programA.id)\"}")
            #expect(wrong.status == .unprocessableEntity)
            let accepted = try await app.api(
                .POST, "/api/v1/referrals/\(referralID)/accept", as: b, fixture: f,
                json: "{\"programID\":\"\(f.programB.id)\"}")
            #expect(accepted.status == .created)
            let caseID = try #require(try accepted.json()["id"] as? String)
            let newCase = try #require(try await store.case(id: UUID(uuidString: caseID)!))
            #expect(newCase.agencyID == f.agencyB.id && newCase.primaryCaseManagerID == b.id)
            let registered = try #require(try await store.client(id: newCase.clientID))
            #expect(registered.agencyID == f.agencyB.id && registered.lastName == "Mensah")
            // Identity only: no SSN, no contact details.
            #expect(registered.ssn == nil && registered.phone == nil)
            let original = try #require(try await store.record(Referral.self, id: UUID(uuidString: referralID)!))
            #expect(original.status == .accepted && original.acceptedCaseID == newCase.id)
            // Answered once.
            let again = try await app.api(
                .POST, "/api/v1/referrals/\(referralID)/accept", as: b, fixture: f,
                json: "{\"programID\":\"\(f.programB.id)\"}")
            #expect(again.status == .conflict)
            // Agency A cannot accept its own referral as if it were agency B.
            #expect(
                try await app.api(
                    .POST, "/api/v1/referrals/\(referralID)/accept", as: f.caseManager, fixture: f,
                    json: "{\"programID\":\"\(f.programA.id)\"}"
                ).status == .notFound)
        }
    }
    @Test func aReferralToAnOutsideProviderPrintsOnlyWhatTheReleaseCoversAndIsNotSentOnceItIsRevoked() async throws {
        try await withTrellis { app, f in
            let made = try await app.api(
                .POST, "/api/v1/clients", as: f.caseManager, fixture: f,
                json: validClientJSON.replacingOccurrences(of: "\"sex\":0", with: "\"sex\":0,\"phone\":\"555-0142\""))
            let clientID = try #require(try made.json()["id"] as? String)
            let client = try #require(try await SQLStore(database: app.db).client(id: UUID(uuidString: clientID)!))
            #expect(client.phone == "555-0142")
            let kase = try await f.openCase(app, client: client)
            // A release to an outside clinic of identity only.
            let release = try await app.api(
                .POST, "/api/v1/clients/\(client.id)/releases", as: f.caseManager, fixture: f,
                json: Self.verbal(["identity"]))
            let releaseID = try #require(try release.json()["id"] as? String)
            // The referral form offers it.
            let form = try await app.web(.GET, "/cases/\(kase.id)/referrals/new", as: f.caseManager, fixture: f)
            #expect(form.body.contains("value=\"\(releaseID.lowercased())\"") && form.body.contains("Eastside Clinic"))
            let sent = try await app.api(
                .POST, "/api/v1/cases/\(kase.id)/referrals", as: f.caseManager, fixture: f,
                json: "{\"releaseID\":\"\(releaseID)\",\"reason\":\"Dental care\",\"send\":true}")
            #expect(sent.status == .created)
            let sentJSON = try sent.json()
            #expect(sentJSON["providerName"] as? String == "Eastside Clinic" && sentJSON["toAgencyID"] == nil)
            let referralID = try #require(sentJSON["id"] as? String)
            // Its printed form names the client but, the release not covering contact, not their phone.
            let printed = try await app.web(.GET, "/referrals/\(referralID)/print", as: f.caseManager, fixture: f)
            #expect(printed.body.contains("Rosa") && printed.body.contains("Shared under the client"))
            #expect(!printed.body.contains("555-0142") && printed.body.contains("Not covered by the client"))
            // A draft under the release is not sent once the release is revoked, and no new referral uses it.
            let draft = try await app.api(
                .POST, "/api/v1/cases/\(kase.id)/referrals", as: f.caseManager, fixture: f,
                json: "{\"releaseID\":\"\(releaseID)\",\"reason\":\"Eye exam\",\"send\":false}")
            let draftID = try #require(try draft.json()["id"] as? String)
            let revoked = try await app.api(
                .POST, "/api/v1/releases/\(releaseID)/revoke", as: f.caseManager, fixture: f,
                json: "{\"reason\":\"Client asked\"}", headers: ["If-Match": "\"1\""])
            #expect(revoked.status == .ok)
            let send = try await app.api(
                .POST, "/api/v1/referrals/\(draftID)/status", as: f.caseManager, fixture: f,
                json: "{\"status\":\"sent\"}", headers: ["If-Match": "\"1\""])
            #expect(send.status == .unprocessableEntity && send.body.contains("revoked"))
            let again = try await app.api(
                .POST, "/api/v1/cases/\(kase.id)/referrals", as: f.caseManager, fixture: f,
                json: "{\"releaseID\":\"\(releaseID)\",\"reason\":\"Eye exam\",\"send\":true}")
            #expect(again.status == .unprocessableEntity && again.body.contains("releaseID"))
            // Without a release the consent date is still what a referral is sent under, and its form says so.
            let plain = try await app.api(
                .POST, "/api/v1/cases/\(kase.id)/referrals", as: f.caseManager, fixture: f,
                json:
                    "{\"providerName\":\"Food bank\",\"reason\":\"Groceries\",\"consentOn\":\"2026-06-01\",\"send\":true}"
            )
            let plainID = try #require(try plain.json()["id"] as? String)
            let plainForm = try await app.web(.GET, "/referrals/\(plainID)/print", as: f.caseManager, fixture: f)
            #expect(plainForm.body.contains("555-0142") && plainForm.body.contains("2026-06-01"))
        }
    }
}
