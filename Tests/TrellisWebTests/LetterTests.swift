import Foundation
import Testing
@testable import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

/// Letters keep their line breaks and paragraphs (issue 13, point 1).
@Suite("Letters")
struct LetterTests {
    @Test func aKeptLetterKeepsItsParagraphsAndLinesOnItsPageAndInTheAPI() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            // As a browser's textarea sends it: CR LF line breaks.
            let body =
                "To the hearing officer,\r\n\r\nMs. Ruiz asks that benefits continue.\r\nShe filed on time.\r\n\r\nSincerely,\r\nCasemanager"
            let kept = try await app.web(
                .POST, "/cases/\(c.id.uuidString.lowercased())/letters", as: f.caseManager, fixture: f,
                form: [("title", "Appeal"), ("body", body)])
            #expect(kept.status == .seeOther)
            let path = try #require(kept.headers.first(name: .location))
            let page = try await app.web(.GET, path, as: f.caseManager, fixture: f)
            #expect(page.body.contains("<p>To the hearing officer,</p>"))
            #expect(page.body.contains("<p>Ms. Ruiz asks that benefits continue.<br/>She filed on time.</p>"))
            #expect(page.body.contains("<p>Sincerely,<br/>Casemanager</p>"))
            let id = String(path.split(separator: "/").last!)
            let api = try await app.api(.GET, "/api/v1/letters/\(id)", as: f.caseManager, fixture: f)
            #expect(
                try api.json()["body"] as? String
                    == "To the hearing officer,\n\nMs. Ruiz asks that benefits continue.\nShe filed on time.\n\nSincerely,\nCasemanager"
            )
        }
    }

    @Test func paragraphsAreBlankLinesHoweverTheyWereTyped() {
        #expect(LetterMerge.paragraphs("a\r\n \r\nb\rc\n\n\nd") == [["a"], ["b", "c"], ["d"]])
        #expect(LetterMerge.normalized("x\r\ny\rz") == "x\ny\nz")
    }
}

@Suite("Letter merge fields")
struct LetterMergeTests {
    @Test func aMergeFieldWithNoValueIsFlaggedAndNeverLeftBlank() async throws {
        try await withTrellis { app, f in
            let client = try await f.client(app) // no address
            let c = try await f.openCase(app, client: client)
            let template = try await LetterService(store: SQLStore(database: app.db), deps: testDeps).saveTemplate(
                nil, name: "Address check", body: "Dear {{client.name}},\n\nWe will write to {{client.address}}.",
                active: true, expectedVersion: nil, by: f.actor(.agencyAdmin))
            let caseID = c.id.uuidString.lowercased()
            let form = try await app.web(
                .GET, "/cases/\(caseID)/letters/new?template=\(template.id.uuidString.lowercased())", as: f.caseManager,
                fixture: f)
            #expect(form.status == .ok)
            #expect(form.body.contains("has merge fields with no value: {{client.address}}"))
            #expect(form.body.contains("Dear Ana Ruiz,")) // the fields that have a value are merged
            let kept = try await app.web(
                .POST, "/cases/\(caseID)/letters", as: f.caseManager, fixture: f,
                form: [("title", "Address check"), ("body", "Dear Ana Ruiz,\n\nWe will write to {{client.address}}.")])
            #expect(kept.status == .unprocessableEntity)
            let api = try await app.api(
                .POST, "/api/v1/cases/\(caseID)/letters", as: f.caseManager, fixture: f,
                json: #"{"templateID": "\#(template.id.uuidString.lowercased())"}"#)
            #expect(api.status == .unprocessableEntity)
            #expect(api.body.contains("{{client.address}}"))
            #expect(try await app.count("letters") == 0)
        }
    }
}

/// Letters print on the agency's letterhead and download as PDF (issue 13, point 1).
@Suite("Letterhead and PDF")
struct LetterheadTests {
    @Test func lettersPrintOnTheLetterheadTheAdminSetAndDownloadAsPDF() async throws {
        try await withTrellis { app, f in
            let admin = f.staff[.agencyAdmin]!
            let bad = try await app.web(
                .POST, "/admin/letterhead", as: admin, fixture: f,
                form: [("address", "12 Alder Way"), ("phone", "call us")])
            #expect(bad.status == .unprocessableEntity && bad.body.contains("href=\"#f-phone\""))
            let saved = try await app.web(
                .POST, "/admin/letterhead", as: admin, fixture: f,
                form: [("address", "12 Alder Way\r\nSpringfield, IL 62701"), ("phone", "555-010-0100")])
            #expect(saved.status == .seeOther)
            #expect(
                try await app.web(
                    .POST, "/admin/letterhead", as: f.caseManager, fixture: f, form: [("phone", "555-010-0100")]
                )
                .status == .forbidden)
            let c = try await f.openCase(app, client: try await f.client(app))
            let kept = try await app.web(
                .POST, "/cases/\(c.id.uuidString.lowercased())/letters", as: f.caseManager, fixture: f,
                form: [("title", "Appeal"), ("body", "To the hearing officer,\n\nPlease continue benefits.")])
            let path = try #require(kept.headers.first(name: .location))
            let page = try await app.web(.GET, path, as: f.caseManager, fixture: f)
            let head = try #require(RecordPageTests.section(page.body, "<header class=\"letterhead\">", "</header>"))
            #expect(head.contains("Agency A") && head.contains("<p>12 Alder Way<br/>Springfield, IL 62701</p>"))
            #expect(head.contains("555-010-0100"))
            let pdf = try await app.web(.GET, path + "/pdf", as: f.caseManager, fixture: f)
            if PDFRenderer.chromium != nil {
                #expect(pdf.status == .ok && pdf.headers.contentType?.description == "application/pdf")
                #expect(pdf.body.hasPrefix("%PDF"))
                #expect(pdf.headers.first(name: .contentDisposition)?.contains("Appeal.pdf") == true)
            } else {
                #expect(pdf.status == .serviceUnavailable)
            }
            // Another agency cannot print it.
            #expect(try await app.web(.GET, path + "/pdf", as: f.otherAgencyStaff, fixture: f).status == .notFound)
        }
    }
}
