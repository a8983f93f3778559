import Foundation

public struct StaffInput: Sendable, Codable, Equatable {
    public var username: String?
    public var displayName: String?
    public var role: String?
    public var teamID: UUID?
    public var language: String?
    public var password: String?
    public init(
        username: String? = nil, displayName: String? = nil, role: String? = nil, teamID: UUID? = nil,
        language: String? = nil, password: String? = nil
    ) {
        self.username = username
        self.displayName = displayName
        self.role = role
        self.teamID = teamID
        self.language = language
        self.password = password
    }
}

public struct ProgramInput: Sendable, Codable, Equatable {
    public var name: String?
    public var type: String?
    public var contactFrequencyDays: Int?
    /// Days between reassessments; nil for no schedule.
    public var reassessmentDays: Int?
    public var requiresPlanApproval: Bool?
    public init(
        name: String? = nil, type: String? = nil, contactFrequencyDays: Int? = nil, reassessmentDays: Int? = nil,
        requiresPlanApproval: Bool? = nil
    ) {
        self.name = name
        self.type = type
        self.contactFrequencyDays = contactFrequencyDays
        self.reassessmentDays = reassessmentDays
        self.requiresPlanApproval = requiresPlanApproval
    }
}

/// Agencies, programs, teams and staff. Only agency admins manage them (the CLI acts as the system).
public struct OrganizationService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    let hasher: any PasswordHasher
    public init(store: any TrellisStore, deps: Dependencies, hasher: any PasswordHasher) {
        self.store = store
        self.deps = deps
        self.hasher = hasher
    }

    public static let minimumPasswordLength = 12

    /// Finds the agency by name or creates it (used by the CLI when creating the first admin).
    public func agency(named name: String, createIfMissing: Bool) async throws -> Agency {
        var v = Validator()
        guard let n = v.text("agency", name, required: true, max: 120) else {
            try v.check()
            fatalError()
        }
        if let a = try await store.agency(named: n) { return a }
        guard createIfMissing else { throw TrellisError.notFound("agency") }
        let a = Agency(id: deps.newID(), name: n, createdAt: deps.now())
        try await store.insertAgency(a)
        return a
    }

    /// Creates a staff member. `actor` nil means the system (the admin CLI on the server itself).
    public func createStaff(_ input: StaffInput, agencyID: UUID, by actor: ActingUser?) async throws -> StaffMember {
        if let actor {
            try Policy.require(actor, .manageUsers)
            try Policy.requireSameAgency(actor, agencyID, "agency")
        }
        var v = Validator()
        let username = v.text("username", input.username?.lowercased(), required: true, max: 60)
        if let u = username, !u.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) {
            v.add("username", "may contain only letters, digits, dots, dashes and underscores")
        }
        if let u = username, try await store.staff(username: u) != nil { v.add("username", "is already taken") }
        let display = v.text("displayName", input.displayName ?? input.username, required: true, max: 120)
        let role = v.choice("role", input.role, as: Role.self)
        let language = v.choice("language", input.language ?? "en", as: Language.self)
        if let t = input.teamID {
            let team = try await store.team(id: t)
            if team == nil || team?.agencyID != agencyID { v.add("teamID", "is not a team of this agency") }
        }
        let password = input.password ?? ""
        checkPassword(password, field: "password", username: username, into: &v)
        try v.check()
        let staff = StaffMember(
            id: deps.newID(), agencyID: agencyID, teamID: input.teamID, username: username!,
            displayName: display!, role: role!, language: language!,
            passwordHash: try await hasher.hash(password), createdAt: deps.now())
        try await store.transaction { tx in
            try await tx.insertStaff(staff)
            try await tx.appendAudit([
                AuditEntry(
                    id: deps.auditID(), at: deps.now(), actorID: actor?.id, agencyID: agencyID,
                    action: AuditAction.staffCreate.rawValue, recordType: "staff",
                    recordID: staff.id, clientID: nil)
            ])
        }
        return staff
    }

    public func createProgram(_ input: ProgramInput, by actor: ActingUser) async throws -> Program {
        try Policy.require(actor, .managePrograms)
        var v = Validator()
        let name = v.text("name", input.name, required: true, max: 120)
        let type = v.choice("type", input.type, as: ProgramType.self)
        let freq = v.integer("contactFrequencyDays", input.contactFrequencyDays, range: 1...365)
        let reassess = v.integer("reassessmentDays", input.reassessmentDays, range: 7...730, required: false)
        try v.check()
        let p = Program(
            id: deps.newID(), agencyID: actor.agencyID, name: name!, type: type!, contactFrequencyDays: freq!,
            reassessmentDays: reassess, requiresPlanApproval: input.requiresPlanApproval ?? false, createdAt: deps.now()
        )
        try await store.transaction { tx in
            try await tx.insertProgram(p)
            try await tx.appendAudit([deps.audit(actor, .programCreate, "program", p.id, clientID: nil)])
        }
        return p
    }

    /// Changes a program's reassessment schedule and whether its plans need a supervisor's approval.
    public func updateAssessmentSettings(
        programID: UUID, reassessmentDays: Int?, requiresPlanApproval: Bool,
        contactRules: [ContactRequirement]? = nil, referralResponseDays: Int? = nil,
        by actor: ActingUser
    ) async throws -> Program {
        try Policy.require(actor, .managePrograms)
        guard var p = try await store.program(id: programID) else { throw TrellisError.notFound("program") }
        try Policy.requireSameAgency(actor, p.agencyID, "program")
        let before = p
        var v = Validator()
        let days = v.integer("reassessmentDays", reassessmentDays, range: 7...730, required: false)
        let referralDays = v.integer("referralResponseDays", referralResponseDays, range: 1...90, required: false)
        for (i, r) in (contactRules ?? []).enumerated() where !(1...730).contains(r.everyDays) {
            v.add("contactRules.\(i).everyDays", "must be between 1 and 730")
        }
        try v.check()
        var changed: [String] = []
        if let rules = contactRules, rules != p.contactRules {
            changed.append("contactRules")
            p.contactRules = rules
        }
        if referralDays != p.referralResponseDays {
            changed.append("referralResponseDays")
            p.referralResponseDays = referralDays
        }
        if days != p.reassessmentDays { changed.append("reassessmentDays") }
        if requiresPlanApproval != p.requiresPlanApproval { changed.append("requiresPlanApproval") }
        p.reassessmentDays = days
        p.requiresPlanApproval = requiresPlanApproval
        let saved = p
        let fields = changed
        let visitType = p.visitRule?.contactType
        let visitChanged = visitType != before.visitRule?.contactType
        try await store.transaction { tx in
            try await tx.updateProgramSettings(saved)
            if visitChanged { try await tx.refreshLastVisit(programID: saved.id, contactType: visitType, caseID: nil) }
            try await tx.appendAudit([
                deps.audit(actor, .programUpdate, "program", saved.id, clientID: nil, changed: fields)
            ])
        }
        return p
    }

    /// Caseload target, "Who needs me today" weights, closure approval, note co-signature and the
    /// program's managers. Every field is checked at once.
    public func updateSupervisionSettings(
        programID: UUID, caseloadTarget: Int?, weights: [String: Int?], requiresClosureApproval: Bool,
        requiresNoteCosign: Bool, managerIDs: [UUID]?, by actor: ActingUser
    ) async throws -> Program {
        try Policy.require(actor, .managePrograms)
        guard var p = try await store.program(id: programID) else { throw TrellisError.notFound("program") }
        try Policy.requireSameAgency(actor, p.agencyID, "program")
        var v = Validator()
        let target = v.integer("caseloadTarget", caseloadTarget, range: 1...200, required: false)
        var w = p.priorityWeights
        for (name, kp) in PriorityWeights.fields {
            guard let entry = weights[name] else { continue }
            if let x = v.integer("weights.\(name)", entry, range: 0...100, required: true) { w[keyPath: kp] = x }
        }
        var managers: [UUID]? = nil
        if let ids = managerIDs {
            let staff = try await store.staff(ids: ids)
            if staff.count != Set(ids).count
                || staff.contains(where: { $0.agencyID != actor.agencyID || $0.role != .programManager })
            {
                v.add("managers", "must be program managers of your agency")
            } else {
                managers = Array(Set(ids))
            }
        }
        try v.check()
        var changed: [String] = []
        if target != p.caseloadTarget {
            changed.append("caseloadTarget")
            p.caseloadTarget = target
        }
        if w != p.priorityWeights {
            changed.append("priorityWeights")
            p.priorityWeights = w
        }
        if requiresClosureApproval != p.requiresClosureApproval {
            changed.append("requiresClosureApproval")
            p.requiresClosureApproval = requiresClosureApproval
        }
        if requiresNoteCosign != p.requiresNoteCosign {
            changed.append("requiresNoteCosign")
            p.requiresNoteCosign = requiresNoteCosign
        }
        let current = try await store.programManagers(agencyID: actor.agencyID)[programID] ?? []
        if let m = managers, Set(m) != Set(current) { changed.append("managers") } else { managers = nil }
        let saved = p
        let fields = changed
        let newManagers = managers
        try await store.transaction { tx in
            try await tx.updateProgramSettings(saved)
            if let m = newManagers { try await tx.setProgramManagers(programID: saved.id, staffIDs: m) }
            try await tx.appendAudit([
                deps.audit(actor, .programUpdate, "program", saved.id, clientID: nil, changed: fields)
            ])
        }
        return p
    }

    public func createTeam(name: String?, programID: UUID?, by actor: ActingUser) async throws -> Team {
        try Policy.require(actor, .manageUsers)
        var v = Validator()
        let n = v.text("name", name, required: true, max: 120)
        if let p = programID, try await store.program(id: p)?.agencyID != actor.agencyID {
            v.add("programID", "is not a program of your agency")
        }
        try v.check()
        let t = Team(id: deps.newID(), agencyID: actor.agencyID, programID: programID, name: n!, createdAt: deps.now())
        try await store.transaction { tx in
            try await tx.insertTeam(t)
            try await tx.appendAudit([deps.audit(actor, .teamCreate, "team", t.id, clientID: nil)])
        }
        return t
    }

    /// bcrypt reads at most 72 bytes; longer passwords would be silently truncated, so they are refused.
    func checkPassword(_ password: String, field: String, username: String?, into v: inout Validator) {
        if password.count < Self.minimumPasswordLength {
            v.add(field, "must be at least \(Self.minimumPasswordLength) characters")
        } else if password.utf8.count > 72 {
            v.add(field, "must be at most 72 bytes")
        } else if let u = username, password.lowercased().contains(u.lowercased()) {
            v.add(field, "must not contain the username")
        } else if PasswordRules.isTrivial(password) {
            v.add(field, "is a simple pattern (one character or a short run repeated, or a sequence): choose another")
        } else if hasher.isCommon(password) {
            v.add(field, "is one of the most common passwords, which attackers try first: choose another")
        }
    }

    /// A user changes their own password; their other sessions end.
    public func changePassword(
        current: String, new: String, confirmation: String, keepingSession tokenHash: String?,
        by actor: ActingUser
    ) async throws {
        guard let staff = try await store.staff(id: actor.id) else { throw TrellisError.notFound("user") }
        var v = Validator()
        if !((try? await hasher.verify(current, hash: staff.passwordHash)) ?? false) {
            v.add("currentPassword", "is not your current password")
        }
        checkPassword(new, field: "newPassword", username: staff.username, into: &v)
        if new != confirmation { v.add("confirmPassword", "does not match the new password") }
        try v.check()
        let hash = try await hasher.hash(new)
        try await store.transaction { tx in
            try await tx.updateStaffPassword(id: staff.id, passwordHash: hash, mustChange: false)
            // Every other way in ends with the old password: sessions, API tokens, the calendar feed.
            try await tx.deleteSessions(staffID: staff.id, except: tokenHash)
            try await tx.deleteAPITokens(staffID: staff.id)
            try await tx.deleteRecord(CalendarFeed.self, id: staff.id)
            try await tx.appendAudit([deps.audit(actor, .passwordChange, "staff", staff.id, clientID: nil)])
        }
    }

    /// The system (admin CLI on the server) sets a new password; every session of the user ends.
    public func resetPassword(username: String, new: String) async throws -> StaffMember {
        guard let staff = try await store.staff(username: username.lowercased()) else {
            throw TrellisError.notFound("user")
        }
        var v = Validator()
        checkPassword(new, field: "password", username: staff.username, into: &v)
        try v.check()
        let hash = try await hasher.hash(new)
        try await store.transaction { tx in
            try await tx.updateStaffPassword(id: staff.id, passwordHash: hash, mustChange: false)
            try await tx.deleteSessions(staffID: staff.id, except: nil)
            try await tx.deleteAPITokens(staffID: staff.id)
            try await tx.deleteRecord(CalendarFeed.self, id: staff.id)
            try await tx.appendAudit([
                AuditEntry(
                    id: deps.auditID(), at: deps.now(), actorID: nil, agencyID: staff.agencyID,
                    action: AuditAction.passwordChange.rawValue, recordType: "staff",
                    recordID: staff.id, clientID: nil)
            ])
        }
        return staff
    }

    // MARK: A user's life at the agency: edits, deactivation, unlocking, password resets

    /// A staff member of the actor's agency an administrator may change, at the version they edited.
    private func managed(_ id: UUID, expectedVersion: Int?, by actor: ActingUser) async throws -> StaffMember {
        try Policy.require(actor, .manageUsers)
        guard let s = try await store.staff(id: id), s.agencyID == actor.agencyID else {
            throw TrellisError.notFound("user")
        }
        guard let expectedVersion else { throw TrellisError.preconditionRequired("Send the version you edited.") }
        guard expectedVersion == s.version else {
            throw TrellisError.conflict("Someone else changed this user since you opened it.")
        }
        return s
    }

    private func save(
        _ s: StaffMember, from version: Int, _ action: AuditAction, changed: [String], by actor: ActingUser,
        endAccess: Bool = false
    ) async throws {
        let deps = deps
        try await store.transaction { tx in
            guard try await tx.updateStaff(s, expectedVersion: version) else {
                throw TrellisError.conflict("Someone else changed this user since you opened it.")
            }
            if endAccess {
                try await tx.deleteSessions(staffID: s.id, except: nil)
                try await tx.deleteAPITokens(staffID: s.id)
            }
            try await tx.appendAudit([deps.audit(actor, action, "staff", s.id, clientID: nil, changed: changed)])
        }
    }

    /// Changes a user's name, role, team and language. An administrator cannot take away their own role.
    public func updateStaff(_ id: UUID, _ input: StaffInput, expectedVersion: Int?, by actor: ActingUser) async throws
        -> StaffMember
    {
        let old = try await managed(id, expectedVersion: expectedVersion, by: actor)
        var v = Validator()
        let display = v.text("displayName", input.displayName, required: true, max: 120)
        let role = v.choice("role", input.role, as: Role.self)
        let language = v.choice("language", input.language ?? old.language.rawValue, as: Language.self)
        if let t = input.teamID {
            let team = try await store.team(id: t)
            if team == nil || team?.agencyID != actor.agencyID { v.add("teamID", "is not a team of this agency") }
        }
        if id == actor.id, let role, role != old.role {
            v.add("role", "you cannot change your own role; ask another administrator")
        }
        try v.check()
        var s = old
        s.displayName = display!
        s.role = role!
        s.language = language!
        s.teamID = input.teamID
        var changed = ChangedFields(old, s)
        changed.check("displayName", \.displayName)
        changed.check("role", \.role)
        changed.check("teamID", \.teamID)
        changed.check("language", \.language)
        if changed.names.isEmpty { return old }
        s.version += 1
        try await save(s, from: old.version, .staffUpdate, changed: changed.names, by: actor)
        return s
    }

    /// Deactivates a user (every session and API token ends at once) or lets them sign in again.
    /// An administrator cannot deactivate themselves.
    public func setActive(_ id: UUID, _ active: Bool, expectedVersion: Int?, by actor: ActingUser) async throws
        -> StaffMember
    {
        let old = try await managed(id, expectedVersion: expectedVersion, by: actor)
        if id == actor.id && !active {
            throw TrellisError.validation([
                FieldError("active", "you cannot deactivate yourself; ask another administrator")
            ])
        }
        guard old.active != active else { return old }
        var s = old
        s.active = active
        s.version += 1
        try await save(
            s, from: old.version, active ? .staffReactivate : .staffDeactivate, changed: ["active"], by: actor,
            endAccess: !active)
        return s
    }

    /// How many open cases a staff member carries as primary case manager (to reassign before they leave).
    public func openCaseCount(of staffID: UUID, by actor: ActingUser) async throws -> Int {
        try Policy.require(actor, .manageUsers)
        return try await store.caseloadCounts(agencyID: actor.agencyID, today: deps.today)[staffID]?.open ?? 0
    }

    /// Clears the failed sign-ins that lock a user out.
    public func unlock(_ id: UUID, by actor: ActingUser) async throws {
        try Policy.require(actor, .manageUsers)
        guard let s = try await store.staff(id: id), s.agencyID == actor.agencyID else {
            throw TrellisError.notFound("user")
        }
        let deps = deps
        try await store.transaction { tx in
            try await tx.clearFailedSignIns(username: s.username)
            try await tx.appendAudit([deps.audit(actor, .staffUnlock, "staff", s.id, clientID: nil)])
        }
    }

    /// Usernames of the agency's staff with a failed sign-in since `since`, and how many.
    public func failedSignIns(since: Date, by actor: ActingUser) async throws -> [String: Int] {
        try Policy.require(actor, .manageUsers)
        let names = Set(try await store.staff(agencyID: actor.agencyID).map(\.username))
        return try await store.failedSignInCounts(since: since).filter { names.contains($0.key) }
    }

    /// Gives a user a temporary password, shown once to the administrator, that must be changed at the next
    /// sign-in. Every session and API token of the user ends, and any lock is lifted.
    public func resetPassword(_ id: UUID, temporary: String, expectedVersion: Int?, by actor: ActingUser) async throws {
        let old = try await managed(id, expectedVersion: expectedVersion, by: actor)
        if id == actor.id {
            throw TrellisError.validation([
                FieldError("password", "change your own password from your account page")
            ])
        }
        var v = Validator()
        checkPassword(temporary, field: "password", username: old.username, into: &v)
        try v.check()
        let hash = try await hasher.hash(temporary)
        var s = old
        s.mustChangePassword = true
        s.version += 1
        let saved = s
        let deps = deps
        try await store.transaction { tx in
            guard try await tx.updateStaff(saved, expectedVersion: old.version) else {
                throw TrellisError.conflict("Someone else changed this user since you opened it.")
            }
            try await tx.updateStaffPassword(id: saved.id, passwordHash: hash, mustChange: true)
            try await tx.deleteSessions(staffID: saved.id, except: nil)
            try await tx.deleteAPITokens(staffID: saved.id)
            try await tx.deleteRecord(CalendarFeed.self, id: saved.id)
            try await tx.clearFailedSignIns(username: saved.username)
            try await tx.appendAudit([deps.audit(actor, .passwordReset, "staff", saved.id, clientID: nil)])
        }
    }

    /// Renames a program or changes its type or contact frequency. A new frequency moves the next contact due
    /// of every open case of the program, in the same transaction.
    public func updateProgram(_ id: UUID, _ input: ProgramInput, expectedVersion: Int?, by actor: ActingUser)
        async throws -> (program: Program, rescheduled: Int)
    {
        try Policy.require(actor, .managePrograms)
        guard let old = try await store.program(id: id), old.agencyID == actor.agencyID else {
            throw TrellisError.notFound("program")
        }
        guard let expectedVersion else { throw TrellisError.preconditionRequired("Send the version you edited.") }
        guard expectedVersion == old.version else {
            throw TrellisError.conflict("Someone else changed this program since you opened it.")
        }
        var v = Validator()
        let name = v.text("name", input.name, required: true, max: 120)
        let type = v.choice("type", input.type, as: ProgramType.self)
        let freq = v.integer("contactFrequencyDays", input.contactFrequencyDays, range: 1...365)
        if let name, name.lowercased() != old.name.lowercased(),
            try await store.programs(agencyID: actor.agencyID).contains(where: {
                $0.name.lowercased() == name.lowercased()
            })
        {
            v.add("name", "another program of your agency has this name")
        }
        try v.check()
        var p = old
        p.name = name!
        p.type = type!
        p.contactFrequencyDays = freq!
        var changed = ChangedFields(old, p)
        changed.check("name", \.name)
        changed.check("type", \.type)
        changed.check("contactFrequencyDays", \.contactFrequencyDays)
        if changed.names.isEmpty { return (old, 0) }
        p.version += 1
        let saved = p
        let names = changed.names
        let deps = deps
        let moved = try await store.transaction { tx -> Int in
            guard try await tx.updateProgram(saved, expectedVersion: old.version) else {
                throw TrellisError.conflict("Someone else changed this program since you opened it.")
            }
            let n =
                names.contains("contactFrequencyDays")
                ? try await tx.rescheduleContacts(programID: saved.id, frequencyDays: saved.contactFrequencyDays) : 0
            try await tx.appendAudit([
                deps.audit(actor, .programUpdate, "program", saved.id, clientID: nil, changed: names)
            ])
            return n
        }
        return (saved, moved)
    }

    /// The agency as its letters print it: name, address and phone.
    public func letterhead(by actor: ActingUser) async throws -> Agency {
        guard let a = try await store.agency(id: actor.agencyID) else { throw TrellisError.notFound("agency") }
        return a
    }

    /// Sets the address and phone letters print under the agency's name (administrators).
    public func updateLetterhead(address: String?, phone: String?, by actor: ActingUser) async throws -> Agency {
        try Policy.require(actor, .manageTemplates)
        var v = Validator()
        let addr = v.text("address", address?.replacingOccurrences(of: "\r\n", with: "\n"), max: 300)
        if let addr, addr.split(separator: "\n").count > 5 { v.add("address", "must be at most five lines") }
        let tel = v.text("phone", phone, max: 40)
        if let tel,
            tel.filter(\.isNumber).count < 7 || tel.contains(where: { !($0.isNumber || " +-().x".contains($0)) })
        {
            v.add("phone", "must be a phone number")
        }
        try v.check()
        let deps = deps
        try await store.transaction { tx in
            try await tx.updateLetterhead(agencyID: actor.agencyID, address: addr, phone: tel)
            try await tx.appendAudit([
                deps.audit(actor, .letterheadSave, "agency", actor.agencyID, clientID: nil, changed: ["letterhead"])
            ])
        }
        return try await letterhead(by: actor)
    }

    public func programs(by actor: ActingUser) async throws -> [Program] {
        try await store.programs(agencyID: actor.agencyID)
    }

    public func teams(by actor: ActingUser) async throws -> [Team] {
        try await store.teams(agencyID: actor.agencyID)
    }

    public func staff(by actor: ActingUser) async throws -> [StaffMember] {
        try await store.staff(agencyID: actor.agencyID)
    }

    /// The actor's colleagues among `ids` (staff of other agencies are left out).
    public func staffMembers(ids: [UUID], by actor: ActingUser) async throws -> [StaffMember] {
        try await store.agencyStaff(ids: ids, agencyID: actor.agencyID)
    }

    /// Display names of the actor's colleagues among `ids`, for pages that name who did what.
    public func staffNames(_ ids: [UUID], by actor: ActingUser) async throws -> [UUID: String] {
        try await store.staffNames(ids: ids, agencyID: actor.agencyID)
    }

    /// Each program's managers, for the admin's program settings.
    public func programManagers(by actor: ActingUser) async throws -> [UUID: [UUID]] {
        try Policy.require(actor, .managePrograms)
        return try await store.programManagers(agencyID: actor.agencyID)
    }

    /// True until the first staff account exists: the sign-in page then says how to create one.
    public func needsSetup() async throws -> Bool {
        try await store.staffCount() == 0
    }

    public func setLanguage(_ language: Language, by actor: ActingUser) async throws {
        try await store.updateStaffLanguage(id: actor.id, language: language)
    }
}
