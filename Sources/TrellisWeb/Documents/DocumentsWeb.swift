import Crypto
import Foundation
import TrellisCore
import Vapor

enum DocumentsWeb: WebHandlers {
    // MARK: Documents

    static func documents(_ req: Request, state: FormState = FormState(), status: HTTPStatus = .ok) async throws
        -> Response
    {
        let actor = try req.actor()
        let clientID = try req.uuid("clientID")
        let docs = try await req.documents.list(clientID: clientID, by: actor)
        let detail = try await req.clients.detail(clientID, by: actor)
        let names = try await staffNames(req, docs.flatMap { [$0.uploadedBy] + ($0.deletedBy.map { [$0] } ?? []) })
        return req.page(
            DocumentsPage.render(
                req.pageContext, client: detail.client, cases: detail.cases,
                documents: docs,
                names: names, canWrite: Policy.allows(actor, .writeClient),
                canDelete: { Policy.allows(actor, .deleteDocument(uploadedBy: $0.uploadedBy)) }, state: state),
            status: status)
    }

    struct DocumentForm: Content {
        var type: String?
        var caseID: String?
        var description: String?
        var file: File?
    }

    static func documentUpload(_ req: Request) throws -> DocumentUpload {
        let form = try? req.content.decode(DocumentForm.self)
        let bytes = form?.file.map { Data(buffer: $0.data) }
        // An empty case means none; anything else must be a case id, never quietly dropped.
        if let raw = form?.caseID?.trimmingCharacters(in: .whitespaces), !raw.isEmpty, UUID(uuidString: raw) == nil {
            throw TrellisError.validation([FieldError("caseID", "is not a case of this client")])
        }
        return DocumentUpload(
            type: form?.type, filename: form?.file?.filename, caseID: form?.caseID.flatMap(UUID.init(uuidString:)),
            description: form?.description, bytes: bytes, sha256: bytes.map(sha256Hex) ?? "")
    }

    static func uploadDocument(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let clientID = try req.uuid("clientID")
        let upload = try documentUpload(req)
        do {
            _ = try await req.documents.upload(clientID: clientID, upload, by: actor)
            return req.seeOther(Paths.documents(clientID), flash: "flash.documentUploaded")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await documents(
                req,
                state: FormState(
                    values: [
                        "type": upload.type ?? "", "description": upload.description ?? "",
                        "caseID": upload.caseID?.uuidString.lowercased() ?? ""
                    ], errors: errs), status: status)
        }
    }

    static func downloadDocument(_ req: Request) async throws -> Response {
        let (d, bytes) = try await req.documents.download(try req.uuid("documentID"), by: try req.actor())
        var headers: HTTPHeaders = [
            "Content-Type": d.contentType, "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"
        ]
        let ascii = String(d.filename.unicodeScalars.map { $0.isASCII && $0 != "\"" ? Character($0) : "_" })
        headers.add(
            name: .contentDisposition,
            value:
                "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(d.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ascii)"
        )
        return Response(status: .ok, headers: headers, body: .init(data: bytes))
    }

    static func deleteDocument(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        let id = try req.uuid("documentID")
        do {
            let d = try await req.documents.delete(
                id, reason: form["reason"], expectedVersion: form.int("version"), by: actor)
            return req.seeOther(Paths.documents(d.clientID), flash: "flash.documentDeleted")
        } catch TrellisError.validation(let errs) {
            let d = try await req.documents.document(id, by: actor)
            req.parameters.set("clientID", to: d.clientID.uuidString)
            return try await documents(
                req, state: FormState(errors: errs.renamed { _ in "reason-" + id.uuidString.lowercased() }),
                status: .unprocessableEntity)
        }
    }
}
