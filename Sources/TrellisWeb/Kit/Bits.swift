import Foundation
import Plot
import TrellisCore

/// Small pieces the coordination pages share.
enum Bits {
    static func back(_ t: Strings, _ caseID: UUID) -> HNode {
        H.el("p", [], H.a(Paths.case(caseID), t("asmt.backToCase")))
    }
    static func empty(_ s: String) -> HNode { H.el("div", [("class", "empty")], H.p(s)) }
    static func hidden(_ name: String, _ value: String) -> HNode {
        H.void("input", [("type", "hidden"), ("name", name), ("value", value)])
    }
    static func section(_ id: String, _ title: String, _ children: [HNode]) -> HNode {
        H.el("section", [("aria-labelledby", id)], [H.el("h2", [("id", id)], H.text(title))] + children)
    }
    static func row(_ cells: [HNode]) -> HNode { H.el("tr", [], cells.map { H.el("td", [], $0) }) }
    static func badge(_ s: String, _ cls: String) -> HNode { H.el("span", [("class", "badge " + cls)], H.text(s)) }
    static func needOptions(_ t: Strings) -> [(String, String)] {
        Needs.all.map { ($0, domainLabel(t, $0) ?? $0) }
    }
}
