import Foundation
import Testing
import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

/// Issue 16, point 2: a program carries HUD's project descriptor data, edited by the agency's administrators.
@Suite("Projects as HUD describes them")
struct ProjectDescriptorTests {
    static let shelter = """
        {"organizationName":"Riverbend Shelter Partners","victimServiceProvider":false,
         "operatingStartDate":"2019-07-01","continuumProject":true,"projectType":0,"housingType":1,
         "targetPopulation":4,
         "cocs":[{"cocCode":"xx-501","geocode":"123456","city":"Riverbend","state":"XX","zip":"12345","geographyType":1}],
         "funders":[{"funder":8,"grantID":"ESG-2026-01","startDate":"2025-10-01","endDate":"2026-09-30"},
                    {"funder":46,"otherFunder":"Riverbend United Way","grantID":"UW-7","startDate":"2024-01-01"}],
         "inventory":[{"cocCode":"XX-501","householdType":1,"availability":1,"esBedType":1,"unitInventory":40,
                       "bedInventory":40,"vetBedInventory":5,"startDate":"2019-07-01"}],
         "participation":[{"participationType":1,"startDate":"2019-07-01"}]}
        """

    @Test func anAdministratorKeepsTheProgramsHUDDataAndEveryoneCanReadIt() async throws {
        try await withTrellis { app, f in
            let admin = f.staff[.agencyAdmin]!
            let path = "/api/v1/programs/\(f.programA.id.uuidString)/hud"
            let empty = try await app.api(.GET, path, as: f.caseManager, fixture: f)
            let emptyVersion = try empty.json()["version"] as? Int
            #expect(empty.status == .ok && emptyVersion == 0)
            // Only administrators change it, against the version they read.
            #expect(
                try await app.api(.PUT, path, as: f.caseManager, fixture: f, json: Self.shelter).status == .forbidden)
            #expect(
                try await app.api(.PUT, path, as: admin, fixture: f, json: Self.shelter).status == .preconditionRequired
            )
            let saved = try await app.api(
                .PUT, path, as: admin, fixture: f, json: Self.shelter, headers: ["If-Match": "\"0\""])
            #expect(saved.status == .ok && saved.headers.first(name: .eTag) == "\"1\"")
            let stale = try await app.api(
                .PUT, path, as: admin, fixture: f, json: Self.shelter, headers: ["If-Match": "\"0\""])
            #expect(stale.status == .conflict)
            let (d, version) = try await SQLStore(database: app.db).projectDescriptor(programID: f.programA.id)
            let kept = try #require(d)
            #expect(version == 1 && kept.projectType == 0 && kept.cocs.map(\.cocCode) == ["XX-501"])
            #expect(kept.funders.map(\.funder) == [8, 46] && kept.funders[1].otherFunder == "Riverbend United Way")
            #expect(kept.inventory.first?.bedInventory == 40 && kept.participation.first?.participationType == 1)
            let read = try await app.api(.GET, path, as: f.caseManager, fixture: f)
            let body = try #require(try read.json()["descriptor"] as? [String: Any])
            #expect(body["organizationName"] as? String == "Riverbend Shelter Partners")
            // Another agency's program is not found.
            #expect(try await app.api(.GET, path, as: f.otherAgencyStaff, fixture: f).status == .notFound)
        }
    }

    @Test func hudsCrossFieldRulesAreFieldErrorsAndNothingIsWritten() async throws {
        try await withTrellis { app, f in
            let admin = f.staff[.agencyAdmin]!
            let path = "/api/v1/programs/\(f.programA.id.uuidString)/hud"
            func refused(_ json: String, _ field: String) async throws {
                let r = try await app.api(.PUT, path, as: admin, fixture: f, json: json, headers: ["If-Match": "\"0\""])
                #expect(r.status == .unprocessableEntity, "\(field)")
                let errors = (try r.json()["errors"] as? [[String: Any]]) ?? []
                #expect(errors.contains { $0["field"] as? String == field }, "\(field): \(r.body)")
            }
            let s = Self.shelter
            try await refused(s.replacingOccurrences(of: "\"projectType\":0", with: "\"projectType\":13"), "rrhSubType")
            try await refused(s.replacingOccurrences(of: "\"projectType\":0", with: "\"projectType\":5"), "projectType")
            try await refused(s.replacingOccurrences(of: "\"xx-501\"", with: "\"XX501\""), "cocs[0].cocCode")
            try await refused(
                s.replacingOccurrences(of: "\"cocCode\":\"XX-501\"", with: "\"cocCode\":\"XX-502\""),
                "inventory[0].cocCode")
            try await refused(
                s.replacingOccurrences(of: ",\"otherFunder\":\"Riverbend United Way\"", with: ""),
                "funders[1].otherFunder")
            try await refused(
                s.replacingOccurrences(of: "\"endDate\":\"2026-09-30\"", with: "\"endDate\":\"2025-09-30\""),
                "funders[0].endDate")
            try await refused(
                s.replacingOccurrences(of: "\"vetBedInventory\":5", with: "\"vetBedInventory\":50"),
                "inventory[0].bedInventory")
            try await refused(
                s.replacingOccurrences(of: "\"availability\":1,\"esBedType\":1,", with: ""), "inventory[0].availability"
            )
            try await refused(s.replacingOccurrences(of: "\"housingType\":1,", with: ""), "housingType")
            #expect(try await SQLStore(database: app.db).projectDescriptor(programID: f.programA.id).1 == 0)
        }
    }

    @Test func theAdminPageAddsRowsFromItsBlankOneAndNamesTheFieldInError() async throws {
        try await withTrellis { app, f in
            let admin = f.staff[.agencyAdmin]!
            let page = "/admin/programs/\(f.programA.id.uuidString.lowercased())/hud"
            let form = try await app.web(.GET, page, as: admin, fixture: f)
            #expect(form.status == .ok && form.body.contains("name=\"funders[0].grantID\""))
            #expect(!form.body.contains("name=\"funders[1].grantID\""))
            // A new descriptor does not default to a victim service provider.
            #expect(form.body.contains("<option value=\"0\" selected>No</option>"))
            #expect(try await app.web(.GET, page, as: f.caseManager, fixture: f).status == .forbidden)
            let fields: [(String, String)] = [
                ("organizationName", "Riverbend Shelter Partners"), ("victimServiceProvider", "0"),
                ("operatingStartDate", "2019-07-01"), ("continuumProject", "1"), ("projectType", "0"),
                ("housingType", "1"), ("cocs[0].cocCode", "XX-501"), ("cocs[0].geocode", "123456"),
                ("funders[0].funder", "8"), ("funders[0].grantID", "ESG-2026-01"),
                ("funders[0].startDate", "2025-10-01"), ("funders[1].grantID", ""), ("version", "0")
            ]
            let bad = try await app.web(
                .POST, page, as: admin, fixture: f,
                form: fields + [
                    ("inventory[0].cocCode", "XX-501"), ("inventory[0].householdType", "1"),
                    ("inventory[0].unitInventory", "forty")
                ])
            #expect(bad.status == .unprocessableEntity && bad.body.contains("f-inventory-0--unitInventory-error"))
            #expect(try await SQLStore(database: app.db).projectDescriptor(programID: f.programA.id).1 == 0)
            let good = try await app.web(.POST, page, as: admin, fixture: f, form: fields)
            #expect(good.status == .seeOther)
            let (d, _) = try await SQLStore(database: app.db).projectDescriptor(programID: f.programA.id)
            #expect(d?.funders.count == 1 && d?.cocs.first?.geocode == "123456")
            let again = try await app.web(.GET, page, as: admin, fixture: f)
            #expect(again.body.contains("value=\"ESG-2026-01\"") && again.body.contains("name=\"funders[1].grantID\""))
        }
    }
}
