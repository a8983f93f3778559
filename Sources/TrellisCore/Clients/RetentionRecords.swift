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

extension TrellisStore {
    /// Clears the free text of every coordination record on the client's cases (one update each, its version
    /// moved on).
    func deidentifyRecords(ofClient clientID: UUID) async throws {
        for c in try await cases(clientID: clientID) {
            try await deidentify(Referral.self, caseID: c.id)
            try await deidentify(ServiceRecord.self, caseID: c.id)
            try await deidentify(AdvocacyAction.self, caseID: c.id)
            try await deidentify(Letter.self, caseID: c.id)
            try await deidentify(CaseTask.self, caseID: c.id)
            try await deidentify(ClosureRequest.self, caseID: c.id)
            try await deidentify(CaseEvent.self, caseID: c.id)
        }
    }

    private func deidentify<R: Deidentifiable>(_ type: R.Type, caseID: UUID) async throws {
        for r in try await records(type, [.equals("case_id", .uuid(caseID))]) {
            var cleared = r.deidentified()
            cleared.version = r.version + 1
            guard try await updateRecord(cleared, expectedVersion: r.version) else {
                throw TrellisError.conflict("A record of the client changed during the removal; try again.")
            }
        }
    }
}
