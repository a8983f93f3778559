import Foundation
import Plot
import TrellisCore

typealias HNode = Node<HTML.BodyContext>

/// A thin layer over Plot's nodes. Plot escapes text but not attribute values, so every attribute
/// goes through `escape` here; views never build markup from strings.
enum H {
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// Attributes as (name, value): nil omits the attribute, "" renders a bare boolean attribute.
    typealias Attrs = [(String, String?)]

    static func attrs(_ a: Attrs) -> [HNode] {
        a.compactMap { name, value in
            guard let value else { return nil }
            return value.isEmpty ? HNode.attribute(named: name) : HNode.attribute(named: name, value: escape(value))
        }
    }

    static func el(_ name: String, _ a: Attrs = [], _ children: HNode...) -> HNode {
        .element(named: name, nodes: attrs(a) + children)
    }
    static func el(_ name: String, _ a: Attrs = [], _ children: [HNode]) -> HNode {
        .element(named: name, nodes: attrs(a) + children)
    }
    static func void(_ name: String, _ a: Attrs) -> HNode {
        .selfClosedElement(
            named: name,
            attributes: a.compactMap { n, v in
                guard let v else { return nil }
                return v.isEmpty
                    ? Attribute<HTML.BodyContext>(name: n, value: nil, ignoreIfValueIsEmpty: false)
                    : Attribute<HTML.BodyContext>.attribute(named: n, value: escape(v))
            })
    }
    /// Text exactly as stored: every `&`, `<` and `>` escaped. (Plot's own text nodes leave what looks like an
    /// entity alone, so a note that says "&amp;" would be shown as "&".)
    static func text(_ s: String) -> HNode { .raw(escape(s)) }
    static func group(_ n: [HNode]) -> HNode { .group(n) }
    static func flag(_ on: Bool) -> String? { on ? "" : nil }

    /// A table header row of column headings.
    static func head(_ columns: [String]) -> HNode {
        el("thead", [], el("tr", [], columns.map { el("th", [("scope", "col")], text($0)) }))
    }

    /// A data table with column headings and body rows.
    static func table(caption: String? = nil, hiddenCaption: Bool = false, _ columns: [String], _ rows: [HNode])
        -> HNode
    {
        el(
            "table", [("class", "data")],
            caption.map { el("caption", [("class", hiddenCaption ? "visually-hidden" : nil)], text($0)) } ?? group([]),
            head(columns), el("tbody", [], rows))
    }

    /// A data table built from rows of cells, each row with its own attributes (a class, say). Its cells get
    /// their column's heading when the page renders (`TableLabels`), like every data table's.
    static func table(
        caption: String? = nil, hiddenCaption: Bool = false, _ columns: [String], cells rows: [(Attrs, [HNode])]
    ) -> HNode {
        table(
            caption: caption, hiddenCaption: hiddenCaption, columns,
            rows.map { attrs, cells in el("tr", attrs, cells.map { el("td", [], $0) }) })
    }

    /// One term and its value in a `dl.summary`; a missing value shows as a dash.
    static func pair(_ label: String, _ value: String?) -> HNode {
        group([el("dt", [], text(label)), el("dd", [], text(value ?? "—"))])
    }

    static func a(_ href: String, _ label: String, _ a: Attrs = []) -> HNode {
        el("a", [("href", href)] + a, text(label))
    }
    static func p(_ s: String, _ a: Attrs = []) -> HNode { el("p", a, text(s)) }
}

/// The label and anchor of each field a form shows, noted as its fields are built, so the error summary
/// (drawn when the page renders, after every field exists, though it comes first on the page) names and
/// links each field in the order the form shows them.
final class FieldIndex: @unchecked Sendable {
    struct Entry {
        var label: String
        var anchor: String
        var order: Int
    }
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    func note(_ name: String, label: String, anchor: String) {
        lock.withLock {
            if entries[name] == nil { entries[name] = Entry(label: label, anchor: anchor, order: entries.count) }
        }
    }
    func entry(_ name: String) -> Entry? { lock.withLock { entries[name] } }
}

/// Values a form was filled with, and the errors to show beside each field.
struct FormState: Sendable {
    var values: [String: String] = [:]
    var multi: [String: [String]] = [:]
    var errors: [String: [String]] = [:]
    /// Shared by copies: every field built from this state notes itself here.
    let fields = FieldIndex()

    /// Notes a field the form builds by hand (not through `Fields`), so the error summary can name and link it.
    func note(_ name: String, label: String, anchor: String? = nil) {
        fields.note(name, label: label, anchor: anchor ?? Fields.id(name))
    }

    init(values: [String: String] = [:], multi: [String: [String]] = [:], errors: [FieldError] = []) {
        self.values = values
        self.multi = multi
        for e in errors { self.errors[e.field, default: []].append(e.message) }
    }
    subscript(_ k: String) -> String { values[k] ?? "" }
    var hasErrors: Bool { !errors.isEmpty }
}

/// Labelled form fields, each with its error beside it and wired for screen readers.
struct Fields {
    let t: Strings
    let state: FormState

    static func id(_ name: String) -> String {
        "f-" + name.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
    }

    private func errorNodes(_ name: String) -> (HNode, String?) {
        guard let errs = state.errors[name], !errs.isEmpty else { return (.group([]), nil) }
        let eid = Self.id(name) + "-error"
        return (
            H.el("p", [("class", "field-error"), ("id", eid)], H.text(errs.map(t.message).joined(separator: "; "))), eid
        )
    }

    private func hintNode(_ name: String, _ hint: String?) -> (HNode, String?) {
        guard let hint else { return (.group([]), nil) }
        let hid = Self.id(name) + "-hint"
        return (H.el("p", [("class", "hint"), ("id", hid)], H.text(hint)), hid)
    }

    /// The wrapper every field shares: label, hint, error, and the control, which receives the
    /// attributes that tie it to them (id, name, aria-invalid, aria-describedby).
    private func field(
        _ name: String, _ label: String, required: Bool, hint: String?,
        control: (H.Attrs) -> HNode
    ) -> HNode {
        let id = Self.id(name)
        state.note(name, label: label, anchor: id)
        let (err, eid) = errorNodes(name)
        let (hn, hid) = hintNode(name, hint)
        let described = [hid, eid].compactMap { $0 }.joined(separator: " ")
        return H.el(
            "div", [("class", state.errors[name] == nil ? "field" : "field has-error")],
            H.el("label", [("for", id)], H.text(label + (required ? " *" : ""))), hn, err,
            control([
                ("id", id), ("name", name), ("required", H.flag(required)),
                ("aria-invalid", eid == nil ? nil : "true"),
                ("aria-describedby", described.isEmpty ? nil : described)
            ]))
    }

    func input(
        _ name: String, _ label: String, type: String = "text", required: Bool = false, hint: String? = nil,
        autocomplete: String? = nil, extra: H.Attrs = []
    ) -> HNode {
        field(name, label, required: required, hint: hint) { a in
            H.void("input", [("type", type), ("value", state[name]), ("autocomplete", autocomplete)] + a + extra)
        }
    }

    func textarea(_ name: String, _ label: String, required: Bool = false, rows: Int = 5, hint: String? = nil) -> HNode
    {
        field(name, label, required: required, hint: hint) { a in
            H.el("textarea", [("rows", String(rows))] + a, H.text(state[name]))
        }
    }

    func select(
        _ name: String, _ label: String, options: [(String, String)], required: Bool = false,
        includeBlank: Bool = false, hint: String? = nil
    ) -> HNode {
        let current = state[name]
        var opts: [HNode] = includeBlank ? [H.el("option", [("value", "")], H.text("—"))] : []
        opts += options.map { v, l in H.el("option", [("value", v), ("selected", H.flag(v == current))], H.text(l)) }
        return field(name, label, required: required, hint: hint) { a in H.el("select", a, opts) }
    }

    /// A choice of who carries a case or a task: active case managers and supervisors, and whoever is already
    /// chosen, so the form never silently picks someone else.
    func staffSelect(_ name: String, _ label: String, staff: [StaffMember], required: Bool = false) -> HNode {
        let chosen = state[name]
        return select(
            name, label,
            options: staff.filter { $0.carriesCases || $0.id.uuidString.lowercased() == chosen }.map {
                ($0.id.uuidString.lowercased(), $0.displayName)
            }, required: required)
    }

    /// One checkbox that confirms something, with its error beside it; the error summary names and links it.
    func checkbox(_ name: String, _ label: String, value: String = "yes") -> HNode {
        let id = Self.id(name)
        state.note(name, label: label, anchor: id)
        let (err, eid) = errorNodes(name)
        return H.el(
            "div", [("class", state.errors[name] == nil ? "field" : "field has-error")], err,
            H.el(
                "div", [("class", "check")],
                H.void(
                    "input",
                    [
                        ("type", "checkbox"), ("id", id), ("name", name), ("value", value),
                        ("checked", H.flag(state[name] == value)), ("aria-invalid", eid == nil ? nil : "true"),
                        ("aria-describedby", eid)
                    ]),
                H.el("label", [("for", id)], H.text(label))))
    }

    func checkboxes(_ name: String, _ legend: String, options: [(String, String)]) -> HNode {
        state.note(name, label: legend, anchor: options.first.map { Self.id(name + "-" + $0.0) })
        let (err, _) = errorNodes(name)
        let selected = Set(state.multi[name] ?? [])
        return H.el(
            "fieldset", [("class", state.errors[name] == nil ? "field" : "field has-error")],
            [H.el("legend", [], H.text(legend)), err]
                + options.map { v, l in
                    let id = Self.id(name + "-" + v)
                    return H.el(
                        "div", [("class", "check")],
                        H.void(
                            "input",
                            [
                                ("type", "checkbox"), ("id", id), ("name", name + "[]"), ("value", v),
                                ("checked", H.flag(selected.contains(v)))
                            ]),
                        H.el("label", [("for", id)], H.text(l)))
                })
    }
}
