import Foundation
import SQLKit
import Testing
import TrellisCore
@testable import TrellisData
@testable import TrellisWeb
import VaporTesting

/// Issue 16, point 1: a household member is a client of their own; a household has exactly one head and keeps
/// each member's relationship to them.
@Suite("Households of real clients")
struct HouseholdTests {
    static func intake(first: String, last: String, born: String) -> [(String, String)] {
        [
            ("firstName", first), ("lastName", last), ("nameDataQuality", "1"), ("birthDate", born),
            ("dobDataQuality", "1"), ("ssnDataQuality", "99"), ("sex", "0"), ("races[]", "White"),
            ("veteranStatus", "0")
        ]
    }

    @Test func aNewPersonIsRegisteredIntoTheHouseholdAsAClientOfTheirOwn() async throws {
        try await withTrellis { app, f in
            let head = try await f.client(app, first: "Rosa", last: "Alvarado", dob: "1985-03-12")
            let headID = head.id.uuidString.lowercased()
            let form = try await app.web(.GET, "/clients/new?householdOf=\(headID)", as: f.caseManager, fixture: f)
            #expect(form.status == .ok && form.body.contains("joins the household of Rosa Alvarado"))
            #expect(form.body.contains("name=\"relationshipToHead\""))

            // Without the relationship nothing is written, and the form says which field.
            let clientsBefore = try await app.count("clients")
            let missing = try await app.web(
                .POST, "/clients", as: f.caseManager, fixture: f,
                form: Self.intake(first: "Leo", last: "Alvarado", born: "2015-06-01") + [("householdOf", headID)])
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.body.contains("id=\"f-relationshipToHead-error\""))
            #expect(try await app.count("clients") == clientsBefore)
            #expect(try await app.count("households") == 0)

            let made = try await app.web(
                .POST, "/clients", as: f.caseManager, fixture: f,
                form: Self.intake(first: "Leo", last: "Alvarado", born: "2015-06-01") + [
                    ("householdOf", headID), ("relationshipToHead", "2")
                ])
            #expect(made.status == .seeOther)
            let store = SQLStore(database: app.db)
            // Leo is a client: found by name, with his own record, audit trail and household membership.
            let found = try await ClientService(store: store, deps: testDeps).search(
                "Leo Alvarado", by: f.actor(.caseManager))
            let leo = try #require(found.first { $0.firstName == "Leo" })
            let household = try #require(try await store.household(ofClient: leo.id))
            #expect(household.head?.clientID == head.id)
            #expect(household.member(leo.id)?.relationship == .child)
            #expect(try await store.household(ofClient: head.id)?.id == household.id)

            let api = try await app.api(.GET, "/api/v1/clients/\(headID)/household", as: f.caseManager, fixture: f)
            #expect(api.status == .ok && api.headers.first(name: .eTag) == "\"1\"")
            let members = try #require(try api.json()["members"] as? [[String: Any]])
            #expect(members.map { $0["displayName"] as? String } == ["Rosa Alvarado", "Leo Alvarado"])
            #expect(members.map { $0["relationship"] as? Int } == [1, 2])
            #expect(members.map { $0["head"] as? Bool } == [true, false])
            // Showing Leo's name on Rosa's household is a list of him, audited on his record.
            let leoAudit = try await store.auditEntries(clientID: leo.id, limit: 20, offset: 0).map(\.action)
            #expect(leoAudit.contains("client.listed") && leoAudit.contains("household.change"))
            #expect(leoAudit.contains("client.create"))

            // The client page shows the household, each member linked.
            let page = try await app.web(.GET, "/clients/\(headID)", as: f.caseManager, fixture: f)
            #expect(page.body.contains("href=\"/clients/\(leo.id.uuidString.lowercased())\">Leo Alvarado</a>"))
            #expect(page.body.contains("href=\"/clients/\(headID)/household\""))
        }
    }

    @Test func membersAreAddedRelatedAndRemovedFromTheHeadsRecordWithOneHeadAlways() async throws {
        try await withTrellis { app, f in
            let head = try await f.client(app, first: "Rosa", last: "Alvarado", dob: "1985-03-12")
            let partner = try await f.client(app, first: "Mateo", last: "Rivas", dob: "1983-01-09")
            let child = try await f.client(app, first: "Lucia", last: "Rivas", dob: "2012-07-20")
            let h = "/api/v1/clients/\(head.id.uuidString.lowercased())/household"
            func add(_ c: Client, _ rel: Int, version: Int?) async throws -> HTTPResult {
                let v = version.map { ",\"version\":\($0)" } ?? ""
                return try await app.api(
                    .POST, h + "/members", as: f.caseManager, fixture: f,
                    json: "{\"clientID\":\"\(c.id.uuidString)\",\"relationship\":\(rel)\(v)}")
            }
            // The first member makes the household, with the client as its head.
            let first = try await add(partner, 3, version: nil)
            #expect(first.status == .created)
            #expect(try first.json()["version"] as? Int == 1)
            // A second head is refused; so is an unknown relationship, a stale or missing version.
            #expect(try await add(child, 1, version: 1).status == .unprocessableEntity)
            #expect(try await add(child, 7, version: 1).status == .unprocessableEntity)
            #expect(try await add(child, 2, version: nil).status == .preconditionRequired)
            #expect(try await add(child, 2, version: 9).status == .conflict)
            // Someone already in a household must leave it first; members are added from the head's record.
            #expect(try await add(partner, 3, version: 1).status == .unprocessableEntity)
            let viaMember = try await app.api(
                .POST, "/api/v1/clients/\(partner.id.uuidString)/household/members", as: f.caseManager, fixture: f,
                json: "{\"clientID\":\"\(child.id.uuidString)\",\"relationship\":2,\"version\":1}")
            #expect(viaMember.status == .unprocessableEntity)
            #expect(viaMember.body.contains("householdOf"))
            #expect(try await add(child, 2, version: 1).status == .created)

            // The database itself holds one head per household.
            let store = SQLStore(database: app.db)
            let household = try #require(try await store.household(ofClient: head.id))
            #expect(household.members.first?.clientID == head.id)
            #expect(Set(household.members.map(\.clientID)) == [head.id, partner.id, child.id])
            await #expect(throws: (any Error).self) {
                try await app.sql.raw(
                    "UPDATE household_memberships SET relationship = 1 WHERE client_id = \(bind: child.id)"
                ).run()
            }
            // A join that loses a race to another (the client joined meanwhile) is a conflict to reload, not a 500.
            await #expect(
                throws: TrellisError.conflict(
                    "Someone else changed this household or its members since you opened it. Reload to see their changes."
                )
            ) {
                try await store.addHouseholdMember(
                    HouseholdMembership(
                        householdID: household.id, clientID: partner.id, relationship: .otherRelative, addedAt: testNow,
                        addedBy: f.caseManager.id))
            }

            let relate = try await app.api(
                .PATCH, h + "/members/\(child.id.uuidString)", as: f.caseManager, fixture: f,
                json: "{\"relationship\":4}", headers: ["If-Match": "\"2\""])
            #expect(relate.status == .ok && relate.headers.first(name: .eTag) == "\"3\"")
            #expect(try await store.household(ofClient: child.id)?.member(child.id)?.relationship == .otherRelative)
            // The head's relationship is theirs alone.
            let headRelate = try await app.api(
                .PATCH, h + "/members/\(head.id.uuidString)", as: f.caseManager, fixture: f,
                json: "{\"relationship\":2,\"version\":3}")
            #expect(headRelate.status == .unprocessableEntity)
            // The head leaves last.
            let headLeaves = try await app.api(
                .DELETE, h + "/members/\(head.id.uuidString)?version=3", as: f.caseManager, fixture: f)
            #expect(headLeaves.status == .unprocessableEntity)
            let out = try await app.api(
                .DELETE, h + "/members/\(child.id.uuidString)?version=3", as: f.caseManager, fixture: f)
            #expect(out.status == .ok)
            #expect(try await store.household(ofClient: child.id) == nil)
            #expect(try await store.client(id: child.id)?.firstName == "Lucia")
            // With one member left the household ends.
            _ = try await app.api(
                .DELETE, h + "/members/\(partner.id.uuidString)?version=4", as: f.caseManager, fixture: f)
            #expect(try await app.count("households") == 0)
            #expect(try await app.count("household_memberships") == 0)
            // A client of another agency is not found.
            let other = try await app.api(.GET, h, as: f.otherAgencyStaff, fixture: f)
            #expect(other.status == .notFound)
        }
    }

    @Test func theHouseholdPageAddsAndRemovesMembersWithConfirmation() async throws {
        try await withTrellis { app, f in
            let head = try await f.client(app, first: "Rosa", last: "Alvarado", dob: "1985-03-12")
            let partner = try await f.client(app, first: "Mateo", last: "Rivas", dob: "1983-01-09")
            let base = "/clients/\(head.id.uuidString.lowercased())/household"
            let empty = try await app.web(.GET, base, as: f.caseManager, fixture: f)
            #expect(empty.status == .ok && empty.body.contains("not in a household with anyone else yet"))
            let search = try await app.web(.GET, base + "?q=Mateo", as: f.caseManager, fixture: f)
            let pid = partner.id.uuidString.lowercased()
            #expect(search.body.contains("name=\"relationship-\(pid)\""))
            let noRelationship = try await app.web(
                .POST, base + "/members", as: f.caseManager, fixture: f,
                form: [("clientID", pid), ("version", ""), ("q", "Mateo")])
            #expect(noRelationship.status == .unprocessableEntity)
            #expect(noRelationship.body.contains("f-relationship-\(pid)-error"))
            let added = try await app.web(
                .POST, base + "/members", as: f.caseManager, fixture: f,
                form: [("clientID", pid), ("relationship-\(pid)", "3"), ("version", "")])
            #expect(added.status == .seeOther)
            let shown = try await app.web(.GET, base, as: f.caseManager, fixture: f)
            #expect(shown.body.contains("Mateo Rivas") && shown.body.contains("Spouse"))
            // His relationship's select starts at the one he has.
            #expect(shown.body.contains("<option value=\"3\" selected>"))
            let unconfirmed = try await app.web(
                .POST, base + "/members/\(pid)/remove", as: f.caseManager, fixture: f, form: [("version", "1")])
            #expect(unconfirmed.status == .unprocessableEntity)
            #expect(try await app.count("household_memberships") == 2)
            let removed = try await app.web(
                .POST, base + "/members/\(pid)/remove", as: f.caseManager, fixture: f,
                form: [("version", "1"), ("confirm-\(pid)", "yes")])
            #expect(removed.status == .seeOther)
            #expect(try await app.count("household_memberships") == 0)
        }
    }

    @Test func openingACaseForTheHeadEnrolsTheChosenMembersUnderOneHouseholdID() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            let households = HouseholdService(store: store, deps: testDeps)
            try await store.setAccessPolicy(agencyID: f.agencyA.id, .needToKnow)
            let head = try await f.client(app, first: "Rosa", last: "Alvarado", dob: "1985-03-12")
            // Registered by a colleague: under need-to-know the head's case manager does not yet read his record.
            let partner = try await f.client(app, by: f.caseManager2, first: "Mateo", last: "Rivas", dob: "1983-01-09")
            let child = try await f.client(app, first: "Lucia", last: "Alvarado", dob: "2012-07-20")
            _ = try await households.add(
                partner.id, relationship: 3, to: head.id, expectedVersion: nil, by: f.actor(.caseManager))
            _ = try await households.add(
                child.id, relationship: 2, to: head.id, expectedVersion: 1, by: f.actor(.caseManager))
            let before = try await app.web(
                .GET, "/clients/\(partner.id.uuidString.lowercased())", as: f.caseManager, fixture: f)
            #expect(before.status.code < 500 && !before.body.contains("s-household"))

            // The form offers the household, ticked.
            let hid = head.id.uuidString.lowercased()
            let form = try await app.web(.GET, "/clients/\(hid)/cases/new", as: f.caseManager, fixture: f)
            for m in [partner, child] {
                #expect(form.body.contains("value=\"\(m.id.uuidString.lowercased())\" checked"))
            }
            // Someone outside the household is refused, and nothing is written.
            let stranger = try await f.client(app, first: "Ana", last: "Quispe", dob: "1990-10-02")
            let fields: [(String, String)] = [
                ("programID", f.programA.id.uuidString.lowercased()),
                ("primaryCaseManagerID", f.caseManager.id.uuidString.lowercased()), ("priority", "medium"),
                ("stage", "engagement"), ("openedOn", "2026-05-01")
            ]
            let refused = try await app.web(
                .POST, "/clients/\(hid)/cases", as: f.caseManager, fixture: f,
                form: fields + [("memberIDs[]", stranger.id.uuidString.lowercased())])
            #expect(refused.status == .unprocessableEntity && refused.body.contains("f-memberIDs-error"))
            #expect(try await app.count("cases") == 0)
            // A member's own case cannot enrol the head's household.
            let fromMember = try await app.api(
                .POST, "/api/v1/clients/\(child.id.uuidString)/cases", as: f.caseManager, fixture: f,
                json: "{\"programID\":\"\(f.programA.id.uuidString)\",\"memberIDs\":[\"\(partner.id.uuidString)\"]}")
            #expect(fromMember.status == .unprocessableEntity && fromMember.body.contains("memberIDs"))

            let opened = try await app.web(
                .POST, "/clients/\(hid)/cases", as: f.caseManager, fixture: f,
                form: fields + [partner, child].map { ("memberIDs[]", $0.id.uuidString.lowercased()) })
            #expect(opened.status == .seeOther)
            let kase = try #require(try await store.cases(clientID: head.id).first)
            let members = try await store.caseMembers(caseID: kase.id)
            #expect(Set(members.map(\.clientID)) == [partner.id, child.id])
            #expect(members.first { $0.clientID == partner.id }?.relationship == .spouseOrPartner)
            #expect(members.allSatisfy { $0.enteredOn.description == "2026-05-01" && $0.exitedOn == nil })
            // One case for the household: the members' records show it; the case's care team now reads them.
            #expect(try await store.memberCases(clientID: child.id).map(\.id) == [kase.id])
            let after = try await app.web(
                .GET, "/clients/\(partner.id.uuidString.lowercased())", as: f.caseManager, fixture: f)
            #expect(after.status == .ok && after.body.contains("s-household"))
            #expect(after.body.contains("href=\"/cases/\(kase.id.uuidString.lowercased())\""))
            let page = try await app.web(
                .GET, "/cases/\(kase.id.uuidString.lowercased())", as: f.caseManager, fixture: f)
            #expect(page.body.contains("Household enrolled together") && page.body.contains("Mateo Rivas"))
            #expect(
                try await store.auditEntries(clientID: child.id, limit: 50, offset: 0).contains {
                    $0.action == "case.open"
                })
            // Nor is a member whose household's case is open due for removal, however old their own record.
            let old = Date(timeIntervalSince1970: 1_400_000_000)
            try await app.sql.raw("UPDATE clients SET updated_at = \(bind: old) WHERE id = \(bind: child.id)").run()
            let due = try await store.dueForPurge(
                agencyID: f.agencyA.id, changedBefore: testNow, closedBefore: LocalDate("2026-12-31")!, limit: 50,
                offset: 0)
            #expect(!due.contains { $0.clientID == child.id })
        }
    }

    @Test func theMigrationTurnsHouseholdMemberRowsIntoClientsAndLosesNone() async throws {
        try await withTrellis { app, f in
            let rosa = try await f.client(app, first: "Rosa", last: "Alvarado", dob: "1985-03-12")
            let ana = try await f.client(app, first: "Ana", last: "Quispe", dob: "1990-10-02")
            let ids = (0..<4).map { _ in UUID() }
            try await app.db.withConnection { conn in
                try await M033_Households().revert(on: conn)
                for (i, (id, head, first, last, born, rel)) in [
                    (ids[0], rosa.id, "Leo", "Alvarado", "2015-06-01", 2),
                    (ids[1], rosa.id, "Marta", nil, nil, 3),
                    (ids[2], rosa.id, nil, nil, nil, 1),
                    (ids[3], ana.id, nil, "Quispe", "2019-01-01", 99)
                ].enumerated() {
                    try await conn.sql.raw(
                        """
                        INSERT INTO household_members (id, client_id, position, first_name, last_name, birth_date, \
                        relationship) VALUES (\(bind: id), \(bind: head), \(bind: i), \(bind: first), \(bind: last), \
                        \(bind: born), \(bind: rel))
                        """
                    ).run()
                }
                try await M033_Households().prepare(on: conn)
                let store = SQLStore(database: conn)
                let leo = try #require(try await store.client(id: ids[0]))
                #expect(leo.firstName == "Leo" && leo.lastName == "Alvarado" && leo.nameDataQuality == .full)
                #expect(leo.birthDate?.description == "2015-06-01" && leo.dobDataQuality == .full)
                #expect(leo.ssnDataQuality == .notCollected && leo.raceNone == .notCollected)
                #expect(leo.agencyID == rosa.agencyID && leo.createdBy == rosa.createdBy)
                #expect(try await store.client(id: ids[1])?.nameDataQuality == .partial)
                let nameless = try #require(try await store.client(id: ids[2]))
                #expect(nameless.nameDataQuality == .notCollected && nameless.dobDataQuality == .notCollected)
                let rosas = try #require(try await store.household(ofClient: rosa.id))
                #expect(rosas.head?.clientID == rosa.id)
                #expect(rosas.members.map(\.clientID) == [rosa.id, ids[0], ids[1], ids[2]])
                // A row recorded as a second head keeps its place with relationship "not collected".
                #expect(rosas.members.map(\.relationship.rawValue) == [1, 2, 3, 99])
                #expect(try await store.household(ofClient: ids[3])?.head?.clientID == ana.id)
                // Members are searchable like anyone else.
                let found = try await store.searchClients(
                    agencyID: rosa.agencyID, query: try #require(ClientQuery.parse("Leo Alvarado")), limit: 5,
                    offset: 0)
                #expect(found.contains { $0.id == ids[0] })
                // Back and forth again: the members stay clients and rejoin; nobody is made twice.
                let clients = try await conn.sql.raw("SELECT COUNT(*) AS n FROM clients").first()!
                    .decode(column: "n", as: Int.self)
                try await M033_Households().revert(on: conn)
                try await M033_Households().prepare(on: conn)
                #expect(
                    try await conn.sql.raw("SELECT COUNT(*) AS n FROM clients").first()!.decode(
                        column: "n", as: Int.self) == clients)
                #expect(try await store.household(ofClient: ids[0])?.head?.clientID == rosa.id)
            }
            _ = f
        }
    }
}
