import Foundation
import TrellisCore
import Vapor

/// The program's HUD project descriptor data, for agency administrators (page and API).
enum ProjectDescriptorWeb: WebHandlers {
    static func service(_ req: Request) -> ProjectDescriptorService {
        ProjectDescriptorService(store: req.store, deps: req.deps)
    }

    static func page(_ req: Request, state: FormState? = nil, status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .managePrograms)
        let (program, d, version) = try await service(req).descriptor(of: try req.uuid("programID"), by: actor)
        return req.page(
            ProjectDescriptorPage.render(
                req.pageContext, program: program, state: state ?? ProjectDescriptorPage.state(d, version: version),
                canEdit: true), status: status)
    }

    static func show(_ req: Request) async throws -> Response { try await page(req) }

    /// The form as input: a row left wholly blank is no row. A number field holding text is an error of its own.
    static func input(_ form: FormBody, _ errors: inout [FieldError]) -> ProjectDescriptorInput {
        func int(_ k: String) -> Int? {
            guard let text = form[k]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let n = Int(text) else {
                errors.append(FieldError(k, "must be a whole number"))
                return nil
            }
            return n
        }
        func flag(_ k: String) -> Bool? { form[k].flatMap { $0 == "1" ? true : $0 == "0" ? false : nil } }
        func rows(_ list: String) -> [String] {
            (0..<51).map { "\(list)[\($0)]." }.filter { p in
                form.values.contains { $0.key.hasPrefix(p) && !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }
            }
        }
        var i = ProjectDescriptorInput()
        i.organizationName = form["organizationName"]
        i.victimServiceProvider = flag("victimServiceProvider")
        i.operatingStartDate = form["operatingStartDate"]
        i.operatingEndDate = form["operatingEndDate"]
        i.continuumProject = flag("continuumProject")
        i.projectType = int("projectType")
        i.rrhSubType = int("rrhSubType")
        i.residentialAffiliation = flag("residentialAffiliation")
        i.housingType = int("housingType")
        i.targetPopulation = int("targetPopulation")
        i.hopwaMedAssistedLivingFac = int("hopwaMedAssistedLivingFac")
        i.cocs = rows("cocs").map { p in
            var c = ProjectDescriptorInput.CoCInput()
            c.cocCode = form[p + "cocCode"]
            c.geocode = form[p + "geocode"]
            c.address1 = form[p + "address1"]
            c.address2 = form[p + "address2"]
            c.city = form[p + "city"]
            c.state = form[p + "state"]
            c.zip = form[p + "zip"]
            c.geographyType = int(p + "geographyType")
            return c
        }
        i.funders = rows("funders").map { p in
            var f = ProjectDescriptorInput.FunderInput()
            f.funder = int(p + "funder")
            f.otherFunder = form[p + "otherFunder"]
            f.grantID = form[p + "grantID"]
            f.startDate = form[p + "startDate"]
            f.endDate = form[p + "endDate"]
            return f
        }
        i.inventory = rows("inventory").map { p in
            var x = ProjectDescriptorInput.InventoryInput()
            x.cocCode = form[p + "cocCode"]
            x.householdType = int(p + "householdType")
            x.availability = int(p + "availability")
            x.esBedType = int(p + "esBedType")
            x.unitInventory = int(p + "unitInventory")
            x.bedInventory = int(p + "bedInventory")
            x.chVetBedInventory = int(p + "chVetBedInventory")
            x.youthVetBedInventory = int(p + "youthVetBedInventory")
            x.vetBedInventory = int(p + "vetBedInventory")
            x.chYouthBedInventory = int(p + "chYouthBedInventory")
            x.youthBedInventory = int(p + "youthBedInventory")
            x.chBedInventory = int(p + "chBedInventory")
            x.otherBedInventory = int(p + "otherBedInventory")
            x.startDate = form[p + "startDate"]
            x.endDate = form[p + "endDate"]
            return x
        }
        i.participation = rows("participation").map { p in
            var h = ProjectDescriptorInput.ParticipationInput()
            h.participationType = int(p + "participationType")
            h.startDate = form[p + "startDate"]
            h.endDate = form[p + "endDate"]
            return h
        }
        return i
    }

    static func save(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .managePrograms)
        let id = try req.uuid("programID")
        let form = FormBody(req)
        var parse: [FieldError] = []
        let i = input(form, &parse)
        do {
            if !parse.isEmpty {
                var all = parse
                do { _ = try ProjectDescriptorService.validate(i) } catch TrellisError.validation(let more) {
                    all += more.filter { e in !parse.contains { $0.field == e.field } }
                }
                throw TrellisError.validation(all)
            }
            _ = try await service(req).save(id, i, expectedVersion: form.int("version"), by: actor)
            return req.seeOther(Paths.programHUD(id), flash: "flash.hudSaved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await page(req, state: FormState(values: form.values, errors: errs), status: status)
        }
    }
}

enum ProjectDescriptorAPI: APIHandlers {
    struct Answer: Content {
        var programID: UUID
        var version: Int
        var descriptor: ProjectDescriptor?
    }

    static func get(_ req: Request) async throws -> Response {
        let (p, d, v) = try await ProjectDescriptorWeb.service(req).descriptor(
            of: try req.uuid("programID"), by: try req.actor())
        return try json(Answer(programID: p.id, version: v, descriptor: d), etag: v)
    }

    static func put(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .managePrograms)
        let id = try req.uuid("programID")
        _ = try await ProjectDescriptorWeb.service(req).descriptor(of: id, by: actor)
        let body = try req.content.decode(ProjectDescriptorInput.self)
        let version = ifMatchVersion(req) ?? (try? req.content.decode(VersionField.self))?.version
        let (d, v) = try await ProjectDescriptorWeb.service(req).save(id, body, expectedVersion: version, by: actor)
        return try json(Answer(programID: id, version: v, descriptor: d), etag: v)
    }
}
