import Foundation

public enum DocumentType: String, Sendable, Codable, CaseIterable {
    case identity
    case proofOfIncome = "proof_of_income"
    case signedRelease = "signed_release"
    case benefitsLetter = "benefits_letter"
    case lease, medical, court, other
}

/// A file kept on a client (and optionally one of their cases). The bytes live in the database;
/// deleting removes them but leaves this description, marked deleted, as the trace.
public struct StoredDocument: StoredRecord, AgencyOwned, Equatable {
    public static let table = "documents"
    public var id: UUID
    public var agencyID: UUID
    public var clientID: UUID
    public var caseID: UUID?
    public var type: DocumentType
    public var filename: String
    public var contentType: String
    public var size: Int
    public var sha256: String
    public var description: String?
    public var uploadedBy: UUID
    public var uploadedAt: Date
    public var deletedAt: Date?
    public var deletedBy: UUID?
    public var deletionReason: String?
    /// A record marked restricted is seen only by the people on its case and its program's staff (and the uploader).
    public var restriction: RestrictedCategory? = nil
    public var version: Int
    public var index: [String: IndexValue] {
        [
            "agency_id": .uuid(agencyID), "client_id": .uuid(clientID), "case_id": .uuid(caseID),
            "deleted": .int(deletedAt == nil ? 0 : 1)
        ]
    }
}

public enum DocumentRules {
    public static let maxBytes = 10 * 1024 * 1024
    /// What Trellis accepts, recognised by the file's first bytes, not by its name.
    public static let kinds: [(contentType: String, extensions: [String], magic: [UInt8])] = [
        ("application/pdf", ["pdf"], Array("%PDF-".utf8)),
        ("image/png", ["png"], [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        ("image/jpeg", ["jpg", "jpeg"], [0xFF, 0xD8, 0xFF])
    ]
    public static func sniff(_ bytes: Data) -> String? {
        kinds.first { k in bytes.count >= k.magic.count && Array(bytes.prefix(k.magic.count)) == k.magic }?.contentType
    }
    /// A filename safe to show and to send back in Content-Disposition.
    public static func safeName(_ s: String) -> String {
        let base = s.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let kept = base.unicodeScalars.filter { !$0.properties.generalCategory.isControl && $0 != "\"" }
        return String(String.UnicodeScalarView(kept)).trimmingCharacters(in: .whitespaces).prefix(150).description
    }
}

extension Unicode.GeneralCategory { var isControl: Bool { self == .control || self == .format } }

public struct DocumentUpload: Sendable {
    public var type: String?
    public var filename: String?
    public var caseID: UUID?
    public var description: String?
    public var bytes: Data?
    public var sha256: String
    public var restriction: String?
    public init(
        type: String?, filename: String?, caseID: UUID?, description: String?, bytes: Data?, sha256: String,
        restriction: String? = nil
    ) {
        self.restriction = restriction
        self.type = type
        self.filename = filename
        self.caseID = caseID
        self.description = description
        self.bytes = bytes
        self.sha256 = sha256
    }
}

public struct DocumentService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    public func upload(clientID: UUID, _ u: DocumentUpload, by actor: ActingUser) async throws -> StoredDocument {
        guard let client = try await store.client(id: clientID) else { throw TrellisError.notFound("client") }
        try Policy.requireSameAgency(actor, client.agencyID, "client")
        try Policy.require(actor, .writeClient)
        let access = try await store.access(toClient: clientID, actor, at: deps.now())
        _ = try AccessCheck.require(u.caseID.map { access.forCase($0) } ?? access.client, .write, "client")
        var v = Validator()
        let type = v.choice("type", u.type, as: DocumentType.self)
        var restriction: RestrictedCategory? = nil
        if let r = u.restriction?.trimmingCharacters(in: .whitespaces), !r.isEmpty {
            restriction = RestrictedCategory(rawValue: r)
            if restriction == nil { v.add("restriction", "is not one of the restricted categories") }
        }
        let name = DocumentRules.safeName(u.filename ?? "")
        let desc = v.text("description", u.description, max: 500)
        var contentType: String? = nil
        if let caseID = u.caseID {
            let c = try await store.case(id: caseID)
            if c?.clientID != clientID { v.add("caseID", "is not a case of this client") }
        }
        if let bytes = u.bytes, !bytes.isEmpty {
            if bytes.count > DocumentRules.maxBytes {
                v.add("file", "is larger than the 10 MB limit")
            } else if let sniffed = DocumentRules.sniff(bytes) {
                let ext = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
                let kind = DocumentRules.kinds.first { $0.contentType == sniffed }!
                if !kind.extensions.contains(ext) {
                    v.add("file", "is a \(kind.extensions[0].uppercased()) file but its name ends in .\(ext)")
                }
                contentType = sniffed
            } else {
                v.add("file", "must be a PDF, PNG or JPEG file")
            }
        } else {
            v.add("file", "choose a file to upload")
        }
        if name.isEmpty && u.bytes?.isEmpty == false { v.add("file", "has no name") }
        try v.check()
        var doc = StoredDocument(
            id: deps.newID(), agencyID: client.agencyID, clientID: clientID, caseID: u.caseID, type: type!,
            filename: name,
            contentType: contentType!, size: u.bytes!.count, sha256: u.sha256, description: desc, uploadedBy: actor.id,
            uploadedAt: deps.now(), version: 1)
        doc.restriction = restriction
        let saved = doc
        try await store.transaction { tx in
            try await tx.insertRecord(saved)
            try await tx.insertDocumentContent(id: saved.id, bytes: u.bytes!)
            try await tx.appendAudit([deps.audit(actor, .documentUpload, "document", saved.id, clientID: clientID)])
        }
        return saved
    }

    /// The client's documents the actor may see (on cases they may read; restricted ones only for the case's
    /// people and program staff); the list is audited once, as the names of the files are part of the record.
    public func list(clientID: UUID, by actor: ActingUser) async throws -> [StoredDocument] {
        guard let client = try await store.client(id: clientID) else { throw TrellisError.notFound("client") }
        try Policy.requireSameAgency(actor, client.agencyID, "client")
        let access = try await store.access(toClient: clientID, actor, at: deps.now())
        let a = try AccessCheck.require(access.client, .read, "client")
        let docs = try await store.records(StoredDocument.self, [.equals("client_id", .uuid(clientID))]).filter {
            Self.visible($0, access, actor)
        }.sorted { $0.uploadedAt > $1.uploadedAt }
        try await store.appendAudit([
            deps.audit(actor, .documentList, "client", clientID, clientID: clientID, access: a)
        ])
        return docs
    }

    static func visible(_ d: StoredDocument, _ access: ClientAccess, _ actor: ActingUser) -> Bool {
        let a = d.caseID.map { access.forCase($0) } ?? access.client
        guard a.canRead else { return false }
        guard d.restriction != nil else { return true }
        return d.uploadedBy == actor.id || (d.caseID == nil ? access.seesRestricted : a.seesRestricted)
    }

    /// A document the actor may see, with the access it is seen under; another's restricted one is not found.
    func readable(_ id: UUID, by actor: ActingUser) async throws -> (StoredDocument, Access) {
        let d = try await store.agencyRecord(StoredDocument.self, id, actor, "document")
        let access = try await store.access(toClient: d.clientID, actor, at: deps.now())
        let a = try AccessCheck.require(d.caseID.map { access.forCase($0) } ?? access.client, .read, "document")
        guard Self.visible(d, access, actor) else { throw TrellisError.notFound("document") }
        return (d, a)
    }

    /// A document's description (never its bytes), for showing its client's documents again.
    public func document(_ id: UUID, by actor: ActingUser) async throws -> StoredDocument {
        try await readable(id, by: actor).0
    }

    /// The file's description and bytes; every download is audited.
    public func download(_ id: UUID, by actor: ActingUser) async throws -> (StoredDocument, Data) {
        let (d, access) = try await readable(id, by: actor)
        guard d.deletedAt == nil, let bytes = try await store.documentContent(id: id) else {
            throw TrellisError.notFound("document")
        }
        try await store.appendAudit([
            deps.audit(actor, .documentDownload, "document", id, clientID: d.clientID, access: access)
        ])
        return (d, bytes)
    }

    public func delete(_ id: UUID, reason: String?, expectedVersion: Int?, by actor: ActingUser) async throws
        -> StoredDocument
    {
        var d = try await readable(id, by: actor).0
        try Policy.require(actor, .deleteDocument(uploadedBy: d.uploadedBy))
        _ = try await store.requireClientAccess(d.clientID, actor, .write, at: deps.now())
        guard d.deletedAt == nil else { throw TrellisError.conflict("This document was already deleted.") }
        var v = Validator()
        let why = v.text("reason", reason, required: true, max: 500)
        try v.check()
        guard let expectedVersion else { throw TrellisError.preconditionRequired("Send the version you read.") }
        guard expectedVersion == d.version else {
            throw TrellisError.conflict("This document changed since you opened it.")
        }
        d.deletedAt = deps.now()
        d.deletedBy = actor.id
        d.deletionReason = why
        d.version += 1
        let saved = d
        try await store.transaction { tx in
            try await tx.update(saved, from: expectedVersion)
            try await tx.deleteDocumentContent(id: id)
            try await tx.appendAudit([deps.audit(actor, .documentDelete, "document", id, clientID: saved.clientID)])
        }
        return saved
    }
}
