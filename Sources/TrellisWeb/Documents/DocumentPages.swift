import Foundation
import Plot
import TrellisCore

enum DocumentsPage {
    static func render(
        _ ctx: PageContext, client: Client, cases: [Case], documents: [StoredDocument], names: [UUID: String],
        canWrite: Bool,
        canDelete: (StoredDocument) -> Bool, state: FormState
    ) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let title = t("doc.title") + " · " + client.displayName
        var content: [HNode] = [
            H.el("h1", [], H.text(title)), H.el("p", [], H.a(Paths.client(client.id), t("case.backToClient")))
        ]
        let live = documents.filter { $0.deletedAt == nil }
        let deleted = documents.filter { $0.deletedAt != nil }
        content.append(
            live.isEmpty
                ? Bits.empty(t("doc.none"))
                : H.table(
                    caption: t("doc.title"), hiddenCaption: true,
                    [t("doc.file"), t("doc.type"), t("doc.size"), t("doc.uploaded"), ""],
                    live.map { d in
                        Bits.row([
                            H.a(Paths.document(d.id), d.filename),
                            H.text(t("docType.\(d.type.rawValue)") + (d.description.map { " · " + $0 } ?? "")),
                            H.text(String(format: "%.1f KB", Double(d.size) / 1024)),
                            H.text(t.dateTime(d.uploadedAt) + " · " + (names[d.uploadedBy] ?? "—")),
                            canDelete(d)
                                ? Layout.form(
                                    ctx, action: Paths.deleteDocument(d.id), [("class", "inline delete-doc")],
                                    [
                                        H.el(
                                            "label", [("for", "r-" + d.id.uuidString.lowercased())],
                                            H.text(t("doc.deleteReason"))),
                                        H.void(
                                            "input",
                                            [
                                                ("id", "r-" + d.id.uuidString.lowercased()), ("name", "reason"),
                                                ("required", "")
                                            ]),
                                        Bits.hidden("version", String(d.version)),
                                        Layout.button(t("doc.delete"), [("class", "secondary")])
                                    ]) : H.group([])
                        ])
                    }))
        if !deleted.isEmpty {
            content.append(
                Bits.section(
                    "s-deleted", t("doc.deleted"),
                    [
                        H.table(
                            caption: t("doc.deleted"), hiddenCaption: true,
                            [t("doc.file"), t("doc.type"), t("doc.deletedBy"), t("doc.deleteReason")],
                            deleted.map { d in
                                Bits.row([
                                    H.text(d.filename), H.text(t("docType.\(d.type.rawValue)")),
                                    H.text(
                                        (d.deletedAt.map { t.dateTime($0) } ?? "") + " · "
                                            + (d.deletedBy.flatMap { names[$0] } ?? "—")),
                                    H.text(d.deletionReason ?? "—")
                                ])
                            })
                    ]))
        }
        if canWrite {
            content.append(
                Bits.section(
                    "s-upload", t("doc.upload"),
                    [
                        H.p(t("doc.rules"), [("class", "hint")]),
                        Layout.errorSummary(t, state),
                        H.el(
                            "form",
                            [
                                ("method", "post"), ("action", Paths.documents(client.id)),
                                ("enctype", "multipart/form-data"), ("novalidate", "")
                            ],
                            [
                                Layout.csrfField(ctx),
                                f.select(
                                    "type", t("doc.type"),
                                    options: DocumentType.allCases.map { ($0.rawValue, t("docType.\($0.rawValue)")) },
                                    required: true),
                                f.select(
                                    "caseID", t("doc.case"),
                                    options: cases.map { ($0.id.uuidString.lowercased(), $0.openedOn.description) },
                                    includeBlank: true),
                                f.input("description", t("doc.description")),
                                f.input(
                                    "file", t("doc.file"), type: "file", required: true,
                                    extra: [("accept", ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg")]),
                                Layout.button(t("doc.upload"))
                            ])
                    ]))
        }
        return Layout.page(ctx, title: title, content)
    }
}
