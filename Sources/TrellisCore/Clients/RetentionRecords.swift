import Foundation

/// A coordination record that holds what staff wrote about a client in free text: retention clears that text
/// and keeps the coded fields, dates and amounts reports count.
protocol Deidentifiable: StoredRecord {
    var version: Int { get set }
    /// The record with its free text removed.
    func deidentified() -> Self
}

extension Referral: Deidentifiable {
    func deidentified() -> Referral {
        var r = self
        r.goalText = nil
        r.providerContact = nil
        r.reason = ""
        r.events = r.events.map {
            var e = $0
            e.reason = nil
            return e
        }
        return r
    }
}

extension ServiceRecord: Deidentifiable {
    func deidentified() -> ServiceRecord {
        var r = self
        r.payee = nil
        r.notes = nil
        return r
    }
}

extension AdvocacyAction: Deidentifiable {
    func deidentified() -> AdvocacyAction {
        var r = self
        r.otherParty = ""
        r.summary = nil
        r.outcomeNotes = nil
        return r
    }
}

extension Letter: Deidentifiable {
    func deidentified() -> Letter {
        var r = self
        r.body = ""
        return r
    }
}

extension CaseTask: Deidentifiable {
    func deidentified() -> CaseTask {
        var r = self
        r.title = ""
        r.details = nil
        r.location = nil
        return r
    }
}

extension ClosureRequest: Deidentifiable {
    func deidentified() -> ClosureRequest {
        var r = self
        r.comment = nil
        return r
    }
}

extension CaseEvent: Deidentifiable {
    func deidentified() -> CaseEvent {
        var r = self
        r.reason = nil
        r.note = nil
        return r
    }
}

/// A release keeps whom it was with when that is an agency or organization, what it covered and when; the name of
/// a person it named, its purpose, its witness and the reason it was revoked go, and so does the link to the
/// signed form (the client's documents are removed with them).
extension Release: Deidentifiable {
    func deidentified() -> Release {
        var r = self
        if r.recipientKind == .person { r.recipientName = "" }
        r.purpose = ""
        r.witnessName = nil
        r.documentID = nil
        r.revocationReason = r.revocationReason.map { _ in "" }
        return r
    }
}

/// A break-glass grant keeps who took it and when (the audit log holds each read it allowed); the reason, written
/// about the client, goes.
extension AccessGrant: Deidentifiable {
    func deidentified() -> AccessGrant {
        var r = self
        r.reason = ""
        return r
    }
}

extension TrellisStore {
    /// Clears the free text of every coordination record on the client's cases, and of their releases and
    /// break-glass grants (one update each, its version moved on).
    func deidentifyRecords(ofClient clientID: UUID) async throws {
        try await deidentify(Release.self, [.equals("client_id", .uuid(clientID))])
        try await deidentify(AccessGrant.self, [.equals("client_id", .uuid(clientID))])
        let caseIDs = try await cases(clientID: clientID).map { IndexValue.uuid($0.id) }
        // One query per kind of record across all the client's cases.
        let onCases: [RecordFilter] = [.oneOf("case_id", caseIDs)]
        try await deidentify(Referral.self, onCases)
        try await deidentify(ServiceRecord.self, onCases)
        try await deidentify(AdvocacyAction.self, onCases)
        try await deidentify(Letter.self, onCases)
        try await deidentify(CaseTask.self, onCases)
        try await deidentify(ClosureRequest.self, onCases)
        try await deidentify(CaseEvent.self, onCases)
    }

    private func deidentify<R: Deidentifiable>(_ type: R.Type, _ filters: [RecordFilter]) async throws {
        for r in try await records(type, filters) {
            var cleared = r.deidentified()
            cleared.version = r.version + 1
            guard try await updateRecord(cleared, expectedVersion: r.version) else {
                throw TrellisError.conflict("A record of the client changed during the removal; try again.")
            }
        }
    }
}
