import Foundation
import TrellisCore
import Vapor

// API for instruments, assessments, risk alerts and service plans.

struct InstrumentDTO: Content {
    struct Option: Content {
        var value: Int
        var label: String
        var description: String?
    }
    struct Item: Content {
        var id: String
        var text: String
        var kind: String
        var required: Bool
        var allowsNotApplicable: Bool
        var options: [Option]
    }
    struct Band: Content {
        var min: Int
        var max: Int
        var label: String
    }
    struct Rule: Content {
        var kind: String
        var item: String?
        var threshold: Int?
        var severity: String?
        var reason: String
    }
    var code: String
    var version: Int
    var title: String
    var loinc: String?
    var totalLoinc: String?
    var purpose: String
    var scoring: String
    var programIDs: [UUID]
    var builtIn: Bool
    var items: [Item]
    var bands: [Band]
    var alerts: [Rule]
    /// Captions (title, item texts, options, bands) in the caller's language for the built-in instruments.
    init(_ d: InstrumentDefinition, _ t: Strings) {
        code = d.code
        version = d.version
        title = t.instrumentTitle(d)
        loinc = d.loinc
        totalLoinc = d.totalLoinc
        purpose = d.purpose.rawValue
        scoring = d.scoring.rawValue
        programIDs = d.programIDs
        builtIn = d.agencyID == nil
        items = d.items.map { i in
            Item(
                id: i.id, text: t.itemText(d, i), kind: i.kind.rawValue, required: i.required,
                allowsNotApplicable: i.allowsNotApplicable,
                options: i.options.map {
                    Option(value: $0.value, label: t.optionLabel(d, $0), description: t.optionDescription(d, i, $0))
                })
        }
        bands = d.bands.map { Band(min: $0.min, max: $0.max, label: t.bandLabel(d, $0)) }
        alerts = d.alerts.map {
            switch $0 {
            case .itemAbove(let item, let n, let r):
                Rule(kind: "item_above", item: item, threshold: n, reason: t.alertReason(r))
            case .itemAtMost(let item, let n, let r):
                Rule(kind: "item_at_most", item: item, threshold: n, reason: t.alertReason(r))
            case .severityAtLeast(let s, let r):
                Rule(kind: "severity_at_least", severity: String(describing: s), reason: t.alertReason(r))
            }
        }
    }
}

/// An answer on the wire: an option's value, several values, a number, text (or a date), or
/// the string "not_applicable".
struct AnswerValue: Codable {
    var answer: Answer
    init(_ a: Answer) { answer = a }
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let i = try? c.decode(Int.self) {
            answer = .value(i)
        } else if let d = try? c.decode(Double.self) {
            answer = .number(d)
        } else if let xs = try? c.decode([Int].self) {
            answer = .values(xs)
        } else if let s = try? c.decode(String.self) {
            answer = s == "not_applicable" ? .notApplicable : .text(s)
        } else {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "an answer is a number, a list of numbers, text or \"not_applicable\"")
        }
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch answer {
        case .value(let i): try c.encode(i)
        case .values(let xs): try c.encode(xs)
        case .number(let d): try c.encode(d)
        case .text(let s): try c.encode(s)
        case .notApplicable: try c.encode("not_applicable")
        }
    }
}

struct AlertDTO: Content {
    var id: UUID
    var caseID: UUID
    var clientID: UUID
    var assessmentID: UUID
    var reason: String
    var raisedAt: Date
    var acknowledgedAt: Date?
    var acknowledgedBy: UUID?
    var actionTaken: String?
    init(_ a: RiskAlert, _ t: Strings) {
        id = a.id
        caseID = a.caseID
        clientID = a.clientID
        assessmentID = a.assessmentID
        reason = t.alertReason(a.reason)
        raisedAt = a.raisedAt
        acknowledgedAt = a.acknowledgedAt
        acknowledgedBy = a.acknowledgedBy
        actionTaken = a.actionTaken
    }
}

struct AssessmentDTO: Content {
    var id: UUID
    var caseID: UUID
    var clientID: UUID
    var assessorID: UUID
    var instrument: String
    var instrumentVersion: Int
    var completedOn: String
    var total: Int?
    var band: String?
    var answers: [String: AnswerValue]
    var alerts: [AlertDTO]?
    init(_ a: Assessment, alerts: [RiskAlert]? = nil, _ t: Strings) {
        id = a.id
        caseID = a.caseID
        clientID = a.clientID
        assessorID = a.assessorID
        instrument = a.result.instrumentCode
        instrumentVersion = a.result.instrumentVersion
        completedOn = a.completedOn.description
        total = a.result.total
        band = a.result.band.map { t.bandLabel(nil, $0) }
        answers = a.result.answers.mapValues(AnswerValue.init)
        self.alerts = alerts?.map { AlertDTO($0, t) }
    }
}

struct AssessmentRequest: Decodable {
    var instrument: String?
    var completedOn: String?
    var answers: [String: AnswerValue]?
}

struct AcknowledgeRequest: Decodable { var actionTaken: String? }

struct BiopsychosocialRequest: Decodable {
    struct Domain: Decodable {
        var findings: String?
        var clientWords: String?
        var needs: [String]?
        var strengths: [String]?
    }
    var completedOn: String?
    var domains: [String: Domain]?
    var strengths: [String: [String]]?
}

struct BiopsychosocialDTO: Content {
    var id: UUID
    var caseID: UUID
    var clientID: UUID
    var authorID: UUID
    var completedOn: String
    var domains: [BPSDomainEntry]
    var strengths: [String: [String]]
    var needs: [AssessedNeed]
    init(_ b: BiopsychosocialAssessment) {
        id = b.id
        caseID = b.caseID
        clientID = b.clientID
        authorID = b.authorID
        completedOn = b.completedOn.description
        domains = b.domains
        strengths = Dictionary(uniqueKeysWithValues: b.strengths.map { ($0.key.rawValue, $0.value) })
        needs = b.needs
    }
}

enum AssessmentsAPI: APIHandlers {
    static func instruments(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        return try await paged(req) {
            try await req.assessments.instruments(for: actor).map { InstrumentDTO($0, req.strings) }
        }
    }

    static func instrument(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let version = try intQuery(req, "version")
        let d = try await req.assessments.instrument(
            code: req.parameters.get("code") ?? "", version: version, for: actor)
        return try json(InstrumentDTO(d, req.strings), etag: d.version)
    }

    static func recordAssessment(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let body = try req.content.decode(AssessmentRequest.self)
        let (a, alerts) = try await req.assessments.record(
            caseID: try req.uuid("caseID"), instrument: body.instrument ?? "",
            answers: (body.answers ?? [:]).mapValues(\.answer), completedOn: body.completedOn, by: actor)
        return try json(
            AssessmentDTO(a, alerts: alerts, req.strings), status: .created,
            location: path("assessments", a.id))
    }

    static func listAssessments(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        return try await paged(req) {
            try await req.assessments.history(caseID: try req.uuid("caseID"), by: actor).map {
                AssessmentDTO($0, req.strings)
            }
        }
    }

    static func getAssessment(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let (a, _) = try await req.assessments.assessment(id: try req.uuid("assessmentID"), by: actor)
        return try json(AssessmentDTO(a, req.strings))
    }

    static func recordBiopsychosocial(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let body = try req.content.decode(BiopsychosocialRequest.self)
        var v = Validator()
        var domains: [BPSDomain: BiopsychosocialInput.Domain] = [:]
        for (k, d) in body.domains ?? [:] {
            guard let key = BPSDomain(rawValue: k) else {
                v.add("domains.\(k)", "is not one of the allowed values")
                continue
            }
            domains[key] = .init(
                findings: d.findings, clientWords: d.clientWords, needs: d.needs?.joined(separator: "\n"),
                strengths: d.strengths?.joined(separator: "\n"))
        }
        var strengths: [StrengthArea: String] = [:]
        for (k, list) in body.strengths ?? [:] {
            guard let key = StrengthArea(rawValue: k) else {
                v.add("strengths.\(k)", "is not one of the allowed values")
                continue
            }
            strengths[key] = list.joined(separator: "\n")
        }
        try v.check()
        let b = try await req.assessments.recordBiopsychosocial(
            caseID: try req.uuid("caseID"),
            BiopsychosocialInput(completedOn: body.completedOn, domains: domains, strengths: strengths), by: actor)
        return try json(
            BiopsychosocialDTO(b), status: .created, location: path("biopsychosocial", b.id)
        )
    }

    static func getBiopsychosocial(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        return try json(
            BiopsychosocialDTO(try await req.assessments.biopsychosocial(id: try req.uuid("bpsID"), by: actor)))
    }

    static func alerts(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        return try await paged(req) {
            try await req.assessments.openAlerts(for: actor).map { AlertDTO($0, req.strings) }
        }
    }

    static func acknowledgeAlert(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let body = try req.content.decode(AcknowledgeRequest.self)
        return try json(
            AlertDTO(
                try await req.assessments.acknowledge(
                    alertID: try req.uuid("alertID"), actionTaken: body.actionTaken, by: actor), req.strings))
    }
}
