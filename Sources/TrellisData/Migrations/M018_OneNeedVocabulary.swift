import Fluent
import Foundation
import SQLKit

/// One vocabulary of needs. Plan goals and referrals made from a Self-Sufficiency Matrix domain kept the
/// matrix's item id as their need ("mentalHealth", "substanceUse", …) while the biopsychosocial domains and the
/// directory used "mental_health", "substance_use": the same need under two codes, so an SSM need found no
/// services. This rewrites every stored need code (plan goals' domains, directory services' needs, referrals'
/// needs) to the one vocabulary, and logs how many records it changed.
struct M018_OneNeedVocabulary: AsyncMigration {
    /// The former codes and what they became, frozen here (the live list is `Needs.formerCodes`).
    static let mapping: [String: String] = [
        "mentalHealth": "mental_health", "substanceUse": "substance_use", "adultEducation": "adult_education",
        "childCare": "child_care", "childrensEducation": "childrens_education",
        "communityInvolvement": "community_involvement", "familyRelations": "family_relations",
        "healthCareCoverage": "health_care_coverage", "lifeSkills": "life_skills", "parentingSkills": "parenting_skills"
    ]

    /// A former code as a JSON string value (after `:`, `[` or `,`, before `,`, `]` or `}`): never a key, and
    /// never inside free text, where a quote is escaped.
    static let value = try! NSRegularExpression(
        pattern: #"(?<=[:\[,])"(\#(mapping.keys.sorted().joined(separator: "|")))"(?=[,\]}])"#)

    static func rewrite(_ body: String) -> String {
        var out = body
        for m in value.matches(in: body, range: NSRange(body.startIndex..., in: body)).reversed() {
            guard let whole = Range(m.range, in: body), let code = Range(m.range(at: 1), in: body),
                let new = mapping[String(body[code])]
            else { continue }
            out.replaceSubrange(whole, with: "\"\(new)\"")
        }
        return out
    }

    func prepare(on db: any Database) async throws {
        let sql = db.sql
        var changed: [String: Int] = [:]
        for table in ["service_plans", "referrals", "directory_services"] {
            for row in try await sql.raw("SELECT id, body FROM \(ident: table)").all() {
                let id = try row.decode(column: "id", as: UUID.self)
                let body = try row.decode(column: "body", as: String.self)
                var new = Self.rewrite(body)
                if table == "directory_services" {
                    // A service may now name one need twice: keep each once, and rebuild its search column.
                    let needs = Self.needs(in: new)
                    let unique = needs.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                    if unique != needs { new = Self.replacingNeeds(in: new, with: unique) }
                    guard new != body else { continue }
                    try await sql.raw(
                        "UPDATE directory_services SET body = \(bind: new), need_text = \(bind: "|" + unique.joined(separator: "|") + "|") WHERE id = \(bind: id)"
                    ).run()
                } else {
                    guard new != body else { continue }
                    try await sql.raw("UPDATE \(ident: table) SET body = \(bind: new) WHERE id = \(bind: id)").run()
                }
                changed[table, default: 0] += 1
            }
        }
        db.logger.notice(
            "M018: need codes now one vocabulary: \(changed["service_plans"] ?? 0) plan versions, \(changed["referrals"] ?? 0) referrals, \(changed["directory_services"] ?? 0) directory services rewritten"
        )
    }

    static let needsArray = try! NSRegularExpression(pattern: #""needs":\[[^\]]*\]"#)

    static func needs(in body: String) -> [String] {
        guard let m = needsArray.firstMatch(in: body, range: NSRange(body.startIndex..., in: body)),
            let r = Range(m.range, in: body),
            let list = try? JSONSerialization.jsonObject(with: Data(body[r].dropFirst(8).utf8)) as? [String]
        else { return [] }
        return list
    }

    static func replacingNeeds(in body: String, with needs: [String]) -> String {
        guard let m = needsArray.firstMatch(in: body, range: NSRange(body.startIndex..., in: body)),
            let r = Range(m.range, in: body),
            let data = try? JSONSerialization.data(withJSONObject: needs)
        else { return body }
        var out = body
        out.replaceSubrange(r, with: "\"needs\":" + String(decoding: data, as: UTF8.self))
        return out
    }

    /// Former codes are not restored: the one vocabulary reads them all.
    func revert(on db: any Database) async throws {}
}
