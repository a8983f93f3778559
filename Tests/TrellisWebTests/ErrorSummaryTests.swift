import Foundation
import Testing
import TrellisCore
@testable import TrellisWeb
import VaporTesting

/// Every message in a form's error summary names its field and links to it (issue 13, point 7).
@Suite("Error summaries")
struct ErrorSummaryTests {
    /// The summary's items: (href, text) of each link, and any item that is not a link.
    static func summary(_ html: String) -> (links: [(String, String)], plain: [String]) {
        guard let start = html.range(of: "<div class=\"error-summary\""),
            let end = html.range(of: "</div>", range: start.upperBound..<html.endIndex)
        else { return ([], []) }
        let box = String(html[start.upperBound..<end.lowerBound])
        var links: [(String, String)] = []
        var plain: [String] = []
        for item in box.components(separatedBy: "<li>").dropFirst() {
            let li = item.components(separatedBy: "</li>")[0]
            if let m = li.firstMatch(of: /<a href="#([^"]+)">([^<]*)<\/a>/) {
                links.append((String(m.1), String(m.2)))
            } else {
                plain.append(li)
            }
        }
        return (links, plain)
    }

    @Test func everyFormsSummaryNamesAndLinksEachField() async throws {
        try await withTrellis { app, f in
            let c = try await f.client(app)
            let k = try await f.openCase(app, client: c)
            let admin = f.staff[.agencyAdmin]!
            let forms: [(StaffMember, String, [(String, String)])] = [
                (f.caseManager, "/clients", [("ssnDataQuality", "")]),
                (f.caseManager, "/clients/\(c.id)/cases", []),
                (f.caseManager, "/cases/\(k.id)/notes", []),
                (f.caseManager, "/tasks", []),
                (f.caseManager, "/cases/\(k.id)/close", [("version", "1")]),
                (f.caseManager, "/cases/\(k.id)/referrals", []),
                (f.caseManager, "/cases/\(k.id)/services", []),
                (f.caseManager, "/cases/\(k.id)/advocacy", []),
                (f.caseManager, "/cases/\(k.id)/assessments", [("instrument", "phq9")]),
                (f.caseManager, "/directory", []),
                (f.caseManager, "/me/password", []),
                (admin, "/admin/users", []),
                (admin, "/admin/programs", [])
            ]
            for (who, path, form) in forms {
                let r = try await app.web(.POST, path, as: who, fixture: f, form: form)
                #expect(r.status == .unprocessableEntity, "\(path): \(r.status)")
                let (links, plain) = Self.summary(r.body)
                #expect(!links.isEmpty, "\(path) has no linked errors")
                #expect(plain.isEmpty, "\(path) has errors that name no field: \(plain)")
                for (anchor, text) in links {
                    #expect(
                        r.body.contains("id=\"\(anchor)\""),
                        "\(path): the summary links to #\(anchor), which is not on the page")
                    // "Label: message", never the bare message.
                    let parts = text.components(separatedBy: ": ")
                    #expect(parts.count >= 2 && !parts[0].isEmpty, "\(path): \(text)")
                    #expect(!text.hasPrefix("is required"), "\(path): \(text)")
                }
                let texts = links.map(\.1)
                #expect(Set(texts).count == texts.count, "\(path) repeats a message without its field: \(texts)")
            }
            // The intake form's summary names its fields in the order the form shows them, in Spanish too.
            let intake = try await app.web(.POST, "/clients", as: f.caseManager, fixture: f, form: [])
            let names = Self.summary(intake.body).links.map(\.0)
            let positions = names.compactMap { intake.body.range(of: "id=\"\($0)\"")?.lowerBound }
            #expect(names.count > 2 && positions.count == names.count && positions == positions.sorted(), "\(names)")
            let switched = try await app.web(
                .POST, "/me/language", as: f.caseManager, fixture: f, form: [("language", "es"), ("return", "/today")])
            #expect(switched.status == .seeOther)
            let spanish = try await app.web(.POST, "/clients", as: f.caseManager, fixture: f, form: [])
            let first = try #require(Self.summary(spanish.body).links.first)
            #expect(first.1 == "Calidad del dato del nombre: es obligatorio", "\(first.1)")
        }
    }
}
