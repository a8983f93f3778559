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
    /// "Previous page" and "Next page" links (none on a single page).
    static func pager(_ t: Strings, page: Int, hasMore: Bool, link: (Int) -> String) -> HNode {
        var links: [HNode] = []
        if page > 1 { links.append(H.a(link(page - 1), t("pagination.previous"), [("rel", "prev")])) }
        if hasMore { links.append(H.a(link(page + 1), t("pagination.next"), [("rel", "next")])) }
        guard !links.isEmpty else { return H.group([]) }
        return H.el("nav", [("class", "pager"), ("aria-label", t("pagination.label"))], links)
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
