import Foundation

/// A completed instrument on a case, scored under the instrument version it was answered with.
public struct Assessment: Sendable, Codable, Equatable {
    public var id: UUID
    public var agencyID: UUID
    public var caseID: UUID
    public var clientID: UUID
    public var assessorID: UUID
    public var completedOn: LocalDate
    public var result: ScoredAssessment
    public var createdAt: Date
    public init(
        id: UUID, agencyID: UUID, caseID: UUID, clientID: UUID, assessorID: UUID, completedOn: LocalDate,
        result: ScoredAssessment, createdAt: Date
    ) {
        self.id = id
        self.agencyID = agencyID
        self.caseID = caseID
        self.clientID = clientID
        self.assessorID = assessorID
        self.completedOn = completedOn
        self.result = result
        self.createdAt = createdAt
    }
}

/// A risk found by an assessment. It stays on the case manager's and supervisor's dashboards until
/// someone acknowledges it with a note of the action taken.
public struct RiskAlert: Sendable, Codable, Equatable {
    public var id: UUID
    public var agencyID: UUID
    public var caseID: UUID
    public var clientID: UUID
    public var assessmentID: UUID
    public var reason: String
    public var raisedAt: Date
    public var acknowledgedAt: Date?
    public var acknowledgedBy: UUID?
    public var actionTaken: String?
    /// Filled in on dashboard lists, for display only.
    public var clientName: String?
    public init(
        id: UUID, agencyID: UUID, caseID: UUID, clientID: UUID, assessmentID: UUID, reason: String, raisedAt: Date,
        acknowledgedAt: Date? = nil, acknowledgedBy: UUID? = nil, actionTaken: String? = nil
    ) {
        self.id = id
        self.agencyID = agencyID
        self.caseID = caseID
        self.clientID = clientID
        self.assessmentID = assessmentID
        self.reason = reason
        self.raisedAt = raisedAt
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgedBy = acknowledgedBy
        self.actionTaken = actionTaken
    }
}

public protocol AssessmentRepository: Sendable {
    func insertAssessment(_ a: Assessment) async throws
    func assessments(caseID: UUID) async throws -> [Assessment]
    func insertAlerts(_ alerts: [RiskAlert]) async throws
    func alert(id: UUID) async throws -> RiskAlert?
    /// Marks an open alert acknowledged; false if it was already acknowledged.
    func acknowledgeAlert(id: UUID, at: Date, by: UUID, action: String) async throws -> Bool
    /// Unacknowledged alerts on open cases whose primary case manager is one of `staffIDs`.
    func openAlerts(agencyID: UUID, caseManagers staffIDs: [UUID]) async throws -> [RiskAlert]
    func assessment(id: UUID) async throws -> Assessment?
    /// Every alert of a case, open or acknowledged, newest first.
    func alerts(caseID: UUID) async throws -> [RiskAlert]
    /// Keeps the case's latest assessment date, which the reassessment schedule counts from.
    func markAssessed(caseID: UUID, on date: LocalDate) async throws
    func insertInstrument(_ def: InstrumentDefinition, id: UUID, createdBy: UUID, at: Date) async throws
    /// Every version of every form of the agency.
    func agencyInstruments(agencyID: UUID) async throws -> [InstrumentDefinition]
    func insertBiopsychosocial(_ b: BiopsychosocialAssessment) async throws
    func biopsychosocial(id: UUID) async throws -> BiopsychosocialAssessment?
    func biopsychosocials(caseID: UUID) async throws -> [BiopsychosocialAssessment]
    /// Newest first.
    func planVersions(caseID: UUID) async throws -> [ServicePlan]
    /// Adds a version; a version number already taken is a conflict.
    func insertPlanVersion(_ plan: ServicePlan) async throws
    /// Records a review on a version still pending; false if it no longer is.
    func reviewPlanVersion(_ plan: ServicePlan) async throws -> Bool
}

public struct AssessmentService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    let builtIn: [InstrumentDefinition]
    public init(
        store: any TrellisStore, deps: Dependencies, instruments: [InstrumentDefinition] = BuiltInInstruments.all
    ) {
        self.store = store
        self.deps = deps
        self.builtIn = instruments
    }

    /// Every version of every instrument the agency can use: the built-in ones and its own forms.
    func allVersions(agencyID: UUID) async throws -> [InstrumentDefinition] {
        builtIn + (try await store.agencyInstruments(agencyID: agencyID))
    }

    /// The newest version of each instrument available to the agency (to one program, if given).
    public func instruments(for actor: ActingUser, programID: UUID? = nil) async throws -> [InstrumentDefinition] {
        let all = try await allVersions(agencyID: actor.agencyID)
        return builtIn
            + FormService.latest(all.filter { $0.agencyID != nil }).filter { d in
                programID.map(d.usable(inProgram:)) ?? true
            }
    }

    /// One instrument: a given version, or the newest.
    public func instrument(code: String, version: Int? = nil, for actor: ActingUser) async throws
        -> InstrumentDefinition
    {
        let all = try await allVersions(agencyID: actor.agencyID).filter {
            $0.code == code && (version == nil || $0.version == version)
        }
        guard let d = all.max(by: { $0.version < $1.version }) else { throw TrellisError.notFound("instrument") }
        return d
    }

    /// One completed assessment with the instrument version it was answered under; the read is audited.
    public func assessment(id: UUID, by actor: ActingUser) async throws -> (Assessment, InstrumentDefinition?) {
        guard let a = try await store.assessment(id: id) else { throw TrellisError.notFound("assessment") }
        try Policy.requireSameAgency(actor, a.agencyID, "assessment")
        let (_, access) = try await store.readableCaseAccess(a.caseID, actor, at: deps.now())
        try await store.appendAudit([
            deps.audit(actor, .assessmentView, "assessment", a.id, clientID: a.clientID, access: access)
        ])
        let def = try? await instrument(code: a.result.instrumentCode, version: a.result.instrumentVersion, for: actor)
        return (a, def)
    }

    /// Scores and records an assessment; any alert it raises is recorded with it, in one transaction.
    public func record(
        caseID: UUID, instrument code: String, answers: [String: Answer], completedOn: String?,
        by actor: ActingUser
    ) async throws -> (Assessment, [RiskAlert]) {
        let c = try await store.writableCase(caseID, actor, "record an assessment", at: deps.now())
        var v = Validator()
        let instrument = try await allVersions(agencyID: c.agencyID).filter {
            $0.code == code && $0.usable(inProgram: c.programID)
        }
        .max { $0.version < $1.version }
        if instrument == nil { v.add("instrument", "is not one of the available instruments") }
        let date = v.date(
            "completedOn", completedOn ?? deps.today.description, required: true, today: deps.today,
            notBefore: c.openedOn, notBeforeMessage: "cannot be before the case was opened (\(c.openedOn))")
        var scored: ScoredAssessment? = nil
        if let instrument {
            do { scored = try InstrumentScorer.score(instrument, answers: answers) } catch TrellisError.validation(
                let errors)
            { for e in errors { v.add(e.field, e.message) } }
        }
        try v.check()
        let now = deps.now()
        let a = Assessment(
            id: deps.newID(), agencyID: c.agencyID, caseID: c.id, clientID: c.clientID, assessorID: actor.id,
            completedOn: date!, result: scored!, createdAt: now)
        let alerts = scored!.alerts.map {
            RiskAlert(
                id: deps.newID(), agencyID: c.agencyID, caseID: c.id, clientID: c.clientID, assessmentID: a.id,
                reason: $0.reason, raisedAt: now)
        }
        try await store.transaction { tx in
            try await tx.insertAssessment(a)
            try await tx.markAssessed(caseID: c.id, on: a.completedOn)
            try await tx.updateCaseSignals(caseID: c.id, CaseSignals.from(try await tx.assessments(caseID: c.id)))
            try await tx.insertAlerts(alerts)
            try await tx.appendAudit(
                [deps.audit(actor, .assessmentCreate, "assessment", a.id, clientID: c.clientID)]
                    + alerts.map { deps.audit(actor, .alertRaise, "alert", $0.id, clientID: c.clientID) })
        }
        return (a, alerts)
    }

    /// A case's assessments, oldest first; the read is audited.
    public func history(caseID: UUID, by actor: ActingUser) async throws -> [Assessment] {
        let (c, access) = try await store.readableCaseAccess(caseID, actor, at: deps.now())
        return try await auditedAssessments(of: c, access: access, by: actor)
    }

    func auditedAssessments(of c: Case, access: Access, by actor: ActingUser) async throws -> [Assessment] {
        let list = try await store.assessments(caseID: c.id)
        if !list.isEmpty {
            try await store.appendAudit(
                list.map {
                    deps.audit(actor, .assessmentView, "assessment", $0.id, clientID: c.clientID, access: access)
                })
        }
        return list
    }

    /// One alert; the read is audited.
    public func alert(id: UUID, by actor: ActingUser) async throws -> RiskAlert {
        guard let a = try await store.alert(id: id) else { throw TrellisError.notFound("alert") }
        try Policy.requireSameAgency(actor, a.agencyID, "alert")
        let (_, access) = try await store.readableCaseAccess(a.caseID, actor, at: deps.now())
        try await store.appendAudit([deps.audit(actor, .alertView, "alert", a.id, clientID: a.clientID, access: access)]
        )
        return a
    }

    /// A case's alerts, open and acknowledged, newest first.
    public func caseAlerts(caseID: UUID, by actor: ActingUser) async throws -> [RiskAlert] {
        let (c, access) = try await store.readableCaseAccess(caseID, actor, at: deps.now())
        try await store.appendAudit([deps.listed(actor, "alerts", c, access)])
        return try await store.alerts(caseID: caseID)
    }

    /// A case's biopsychosocial assessments, oldest first; the read is audited.
    public func biopsychosocials(caseID: UUID, by actor: ActingUser) async throws -> [BiopsychosocialAssessment] {
        let (c, access) = try await store.readableCaseAccess(caseID, actor, at: deps.now())
        let list = try await store.biopsychosocials(caseID: caseID)
        if !list.isEmpty {
            try await store.appendAudit(
                list.map {
                    deps.audit(actor, .assessmentView, "biopsychosocial", $0.id, clientID: c.clientID, access: access)
                })
        }
        return list
    }

    /// Alerts waiting on this user: their own cases', and for a supervisor their team's.
    public func openAlerts(for actor: ActingUser) async throws -> [RiskAlert] {
        var staff = [actor.id]
        if actor.role == .supervisor, let team = actor.teamID {
            staff += try await store.staff(agencyID: actor.agencyID).filter { $0.teamID == team }.map(\.id)
        }
        let alerts = try await store.openAlerts(agencyID: actor.agencyID, caseManagers: staff)
        // A restricted program's alerts reach only its own staff and the people on the case.
        let access = try await store.access(toClients: Array(Set(alerts.map(\.clientID))), actor, at: deps.now())
        return alerts.filter { access[$0.clientID]?.forCase($0.caseID).canRead == true }
    }

    /// Acknowledges an alert with the action taken. Only the case's manager, a supervisor, program
    /// manager or admin may; the note is required.
    public func acknowledge(alertID: UUID, actionTaken: String?, by actor: ActingUser) async throws -> RiskAlert {
        guard var alert = try await store.alert(id: alertID) else { throw TrellisError.notFound("alert") }
        try Policy.requireSameAgency(actor, alert.agencyID, "alert")
        guard let c = try await store.case(id: alert.caseID) else { throw TrellisError.notFound("alert") }
        try Policy.require(actor, .updateCase(primaryCaseManagerID: c.primaryCaseManagerID))
        _ = try await store.requireCaseAccess(c, actor, .write, at: deps.now())
        var v = Validator()
        let action = v.text("actionTaken", actionTaken, required: true, max: 2000)
        try v.check()
        guard alert.acknowledgedAt == nil else { throw TrellisError.conflict("This alert was already acknowledged.") }
        let now = deps.now()
        let done = action!
        let clientID = alert.clientID
        try await store.transaction { tx in
            guard try await tx.acknowledgeAlert(id: alertID, at: now, by: actor.id, action: done) else {
                throw TrellisError.conflict("This alert was already acknowledged.")
            }
            try await tx.appendAudit([deps.audit(actor, .alertAcknowledge, "alert", alertID, clientID: clientID)])
        }
        alert.acknowledgedAt = now
        alert.acknowledgedBy = actor.id
        alert.actionTaken = done
        return alert
    }
}
