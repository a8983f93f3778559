import Foundation
import TrellisCore
import TrellisData
import Vapor

enum OrganizationWeb: WebHandlers {
    static func updateProgramSettings(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        let text = (form["reassessmentDays"] ?? "").trimmingCharacters(in: .whitespaces)
        // The settings form sits in the programs table; a bad value is reported on an error page
        // (the number input's own limits stop most of them before they are sent).
        guard text.isEmpty || Int(text) != nil else {
            throw TrellisError.validation([FieldError("reassessmentDays", "must be a whole number of days")])
        }
        var rules: [ContactRequirement] = []
        for (type, days) in zip(form.all("ruleType"), form.all("ruleDays")) {
            let d = days.trimmingCharacters(in: .whitespaces)
            guard !d.isEmpty else { continue }
            guard let n = Int(d) else {
                throw TrellisError.validation([FieldError("ruleDays", "must be a whole number of days")])
            }
            rules.append(ContactRequirement(contactType: ContactType(rawValue: type), everyDays: n))
        }
        let referral = (form["referralResponseDays"] ?? "").trimmingCharacters(in: .whitespaces)
        guard referral.isEmpty || Int(referral) != nil else {
            throw TrellisError.validation([FieldError("referralResponseDays", "must be a whole number of days")])
        }
        _ = try await req.organization.updateAssessmentSettings(
            programID: try req.uuid("programID"), reassessmentDays: Int(text),
            requiresPlanApproval: form["requiresPlanApproval"] == "on",
            contactRules: form.fields["ruleDays"] == nil ? nil : rules,
            referralResponseDays: Int(referral), by: actor)
        return req.seeOther(Paths.adminPrograms, flash: "flash.programSaved")
    }

    // MARK: Administration

    static func users(
        _ req: Request, state: FormState = FormState(values: ["role": "case_manager", "language": "en"]),
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .manageUsers)
        let counts = try await failedSignIns(req, by: actor)
        return req.page(
            AdminUsersPage.render(
                req.pageContext, staff: try await req.organization.staff(by: actor),
                teams: try await req.organization.teams(by: actor), state: state,
                locked: Set(counts.keys.filter { lockedOut(req, counts, $0) }),
                twoStepOn: try await req.store.staffWithSecondFactor(agencyID: actor.agencyID),
                twoStepRoles: try await TwoStepWeb.factors(req).requiredRoles(by: actor)), status: status)
    }

    static func createUser(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        var parseErrors: [FieldError] = []
        let input = StaffInput(
            username: form["username"], displayName: form["displayName"], role: form["role"],
            teamID: uuidField(form, "teamID", &parseErrors), language: form["language"], password: form["password"])
        do {
            try Policy.require(actor, .manageUsers)
            if !parseErrors.isEmpty { throw TrellisError.validation(parseErrors) }
            _ = try await req.organization.createStaff(input, agencyID: actor.agencyID, by: actor)
            return req.seeOther(Paths.adminUsers, flash: "flash.userCreated")
        } catch {
            guard let errs = validationErrors(error) else { throw error }
            var values = form.values
            values["password"] = nil
            return try await users(req, state: FormState(values: values, errors: errs), status: .unprocessableEntity)
        }
    }

    static func programs(
        _ req: Request, programState: FormState = FormState(values: ["contactFrequencyDays": "30"]),
        teamState: FormState = FormState(), supervision: (UUID, FormState)? = nil, status: HTTPStatus = .ok
    ) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .managePrograms)
        return req.page(
            AdminProgramsPage.render(
                req.pageContext, programs: try await req.organization.programs(by: actor),
                teams: try await req.organization.teams(by: actor),
                programState: programState, teamState: teamState,
                managers: try await req.organization.programManagers(by: actor),
                programManagers: try await req.organization.staff(by: actor).filter {
                    $0.role == .programManager && $0.active
                },
                supervision: supervision), status: status)
    }

    static func createProgram(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        var errors: [FieldError] = []
        let freqText = form["contactFrequencyDays"] ?? ""
        let freq = Int(freqText.trimmingCharacters(in: .whitespaces))
        if freq == nil && !freqText.isEmpty {
            errors.append(FieldError("contactFrequencyDays", "must be a whole number of days"))
        }
        do {
            let reassessText = (form["reassessmentDays"] ?? "").trimmingCharacters(in: .whitespaces)
            if !reassessText.isEmpty && Int(reassessText) == nil {
                errors.append(FieldError("reassessmentDays", "must be a whole number of days"))
            }
            _ = try await req.organization.createProgram(
                ProgramInput(
                    name: form["name"], type: form["type"],
                    contactFrequencyDays: freq ?? (freqText.isEmpty ? nil : 0),
                    reassessmentDays: reassessText.isEmpty ? nil : Int(reassessText) ?? 0,
                    requiresPlanApproval: form["requiresPlanApproval"] == "on"), by: actor)
            return req.seeOther(Paths.adminPrograms, flash: "flash.programCreated")
        } catch {
            guard let errs = validationErrors(error) else { throw error }
            let merged = errors + errs.filter { e in !errors.contains { $0.field == e.field } }
            return try await programs(
                req, programState: FormState(values: form.values, errors: merged), status: .unprocessableEntity)
        }
    }

    static func createTeam(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        var parseErrors: [FieldError] = []
        let programID = uuidField(form, "programID", &parseErrors)
        do {
            try Policy.require(actor, .manageUsers)
            if !parseErrors.isEmpty { throw TrellisError.validation(parseErrors) }
            _ = try await req.organization.createTeam(name: form["name"], programID: programID, by: actor)
            return req.seeOther(Paths.adminPrograms, flash: "flash.teamCreated")
        } catch {
            guard let errs = validationErrors(error) else { throw error }
            return try await programs(
                req, teamState: FormState(values: form.values, errors: errs), status: .unprocessableEntity)
        }
    }

    // MARK: Program settings

    static func updateSupervisionSettings(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("programID")
        let form = FormBody(req)
        var weights: [String: Int?] = [:]
        for (name, _) in PriorityWeights.fields where form["weights.\(name)"] != nil {
            weights[name] = form.int("weights.\(name)")
        }
        do {
            _ = try await req.organization.updateSupervisionSettings(
                programID: id, caseloadTarget: form.int("caseloadTarget"), weights: weights,
                requiresClosureApproval: form["requiresClosureApproval"] == "on",
                requiresNoteCosign: form["requiresNoteCosign"] == "on",
                managerIDs: form.all("managers[]").compactMap(UUID.init(uuidString:)), by: actor)
            return req.seeOther(Paths.adminPrograms, flash: "flash.programSaved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await programs(
                req, supervision: (id, FormState(values: form.values, multi: form.fields, errors: errs)), status: status
            )
        }
    }
}

// MARK: A user's life at the agency, and program edits
extension OrganizationWeb {
    /// Whether a username is locked out by failed sign-ins now.
    static func lockedOut(_ req: Request, _ counts: [String: Int], _ username: String) -> Bool {
        (counts[username] ?? 0) >= req.runtime.config.maxFailedSignIns
    }

    static func failedSignIns(_ req: Request, by actor: ActingUser) async throws -> [String: Int] {
        try await req.organization.failedSignIns(
            since: req.deps.now().addingTimeInterval(-req.runtime.config.failedSignInWindow), by: actor)
    }

    static func user(
        _ req: Request, state: FormState? = nil, status: HTTPStatus = .ok, temporaryPassword: String? = nil,
        accessErrors: FormState = FormState()
    ) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .manageUsers)
        let id = try req.uuid("staffID")
        guard let s = try await req.organization.staffMembers(ids: [id], by: actor).first else {
            throw TrellisError.notFound("user")
        }
        let counts = try await failedSignIns(req, by: actor)
        let openCases = try await req.organization.openCaseCount(of: s.id, by: actor)
        return req.page(
            AdminUserPage.render(
                req.pageContext, staff: s, teams: try await req.organization.teams(by: actor),
                locked: lockedOut(req, counts, s.username), failedSignIns: counts[s.username] ?? 0,
                openCases: openCases,
                state: state
                    ?? FormState(values: [
                        "displayName": s.displayName, "role": s.role.rawValue,
                        "teamID": s.teamID?.uuidString.lowercased() ?? "", "language": s.language.rawValue,
                        "version": String(s.version)
                    ]), accessErrors: accessErrors, temporaryPassword: temporaryPassword, isSelf: s.id == actor.id,
                sessions: try await req.account.sessions(of: s.id, by: actor),
                tokens: try await req.account.tokens(of: s.id, by: actor), now: req.deps.now(),
                twoStep: try await TwoStepWeb.factors(req).status(of: s.id, by: actor)),
            status: status)
    }

    static func updateUser(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        var parseErrors: [FieldError] = []
        let input = StaffInput(
            displayName: form["displayName"], role: form["role"], teamID: uuidField(form, "teamID", &parseErrors),
            language: form["language"])
        do {
            if !parseErrors.isEmpty { throw TrellisError.validation(parseErrors) }
            _ = try await req.organization.updateStaff(
                try req.uuid("staffID"), input, expectedVersion: form.int("version"), by: actor)
            return req.seeOther(Paths.adminUsers, flash: "flash.userSaved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await user(req, state: FormState(values: form.values, errors: errs), status: status)
        }
    }

    static func setUserActive(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        let id = try req.uuid("staffID")
        let active = form["active"] == "1"
        do {
            if !active && form["confirm"] != "yes" {
                throw TrellisError.validation([
                    FieldError("confirm", "confirm that their sessions and API tokens end now")
                ])
            }
            _ = try await req.organization.setActive(id, active, expectedVersion: form.int("version"), by: actor)
            return req.seeOther(Paths.adminUser(id), flash: active ? "flash.userReactivated" : "flash.userDeactivated")
        } catch {
            guard let (errs, status) = formFailure(error, conflictField: "confirm") else { throw error }
            return try await user(req, status: status, accessErrors: FormState(errors: errs))
        }
    }

    static func unlockUser(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("staffID")
        try await req.organization.unlock(id, by: actor)
        return req.seeOther(Paths.adminUser(id), flash: "flash.userUnlocked")
    }

    /// A temporary password of four groups of four letters and digits (no look-alikes such as 0/O, 1/l),
    /// shown once on the page that answers the reset.
    static func temporaryPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var rng = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String((0..<4).map { _ in alphabet.randomElement(using: &rng)! }) }
            .joined(separator: "-")
    }

    static func resetUserPassword(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        let id = try req.uuid("staffID")
        let temporary = temporaryPassword()
        do {
            try await req.organization.resetPassword(
                id, temporary: temporary, expectedVersion: form.int("version"), by: actor)
        } catch {
            guard let (errs, status) = formFailure(error, conflictField: "password") else { throw error }
            return try await user(req, status: status, accessErrors: FormState(errors: errs))
        }
        // Shown once, on this answer only; never stored in the clear, logged or put in a cookie.
        let r = try await user(req, temporaryPassword: temporary)
        r.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return r
    }

    static func program(_ req: Request, state: FormState? = nil, status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .managePrograms)
        let id = try req.uuid("programID")
        guard let p = try await req.organization.programs(by: actor).first(where: { $0.id == id }) else {
            throw TrellisError.notFound("program")
        }
        return req.page(
            AdminProgramPage.render(
                req.pageContext, program: p,
                state: state
                    ?? FormState(values: [
                        "name": p.name, "type": p.type.rawValue, "contactFrequencyDays": String(p.contactFrequencyDays),
                        "version": String(p.version)
                    ])), status: status)
    }

    static func updateProgram(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        let freqText = (form["contactFrequencyDays"] ?? "").trimmingCharacters(in: .whitespaces)
        do {
            if !freqText.isEmpty && Int(freqText) == nil {
                throw TrellisError.validation([
                    FieldError("contactFrequencyDays", "must be a whole number of days")
                ])
            }
            let (_, moved) = try await req.organization.updateProgram(
                try req.uuid("programID"),
                ProgramInput(name: form["name"], type: form["type"], contactFrequencyDays: Int(freqText)),
                expectedVersion: form.int("version"), by: actor)
            return req.seeOther(
                Paths.adminPrograms, flash: moved > 0 ? "flash.programSavedRescheduled" : "flash.programSaved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await program(req, state: FormState(values: form.values, errors: errs), status: status)
        }
    }
}
