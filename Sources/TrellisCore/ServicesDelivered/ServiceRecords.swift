import Foundation

/// A kind of service as HUD's HMIS records it: a record type (list 1.4) and the type provided under it.
public struct HUDServiceType: Sendable, Equatable {
    public var recordType: Int
    public var recordLabel: String
    public var typeProvided: Int
    public var label: String
    public var code: String { "\(recordType):\(typeProvided)" }
    /// HOPWA and SSVF financial assistance carry an amount and a period (HMIS FAAmount, FAStartDate, FAEndDate).
    public var isFinancialAssistance: Bool { HUDServiceTypes.financialRecordTypes.contains(recordType) }
}

public enum HUDServiceTypes {
    public static let financialRecordTypes: Set<Int> = [151, 152]
    public static let all: [HUDServiceType] = recordTypes.flatMap { rt, label, _, types in
        types.map { HUDServiceType(recordType: rt, recordLabel: label, typeProvided: $0.0, label: $0.1) }
    }
    public static func find(_ code: String?) -> HUDServiceType? { all.first { $0.code == code } }
}

/// Where a client went on leaving, as HUD's list 3.12 codes it.
public struct HUDDestination: Sendable, Equatable {
    public var code: Int
    public var label: String
    /// HUD's grouping by the code's hundreds: 1xx homeless, 2xx institutional, 3xx temporary, 4xx permanent.
    public var category: String {
        switch code / 100 {
        case 1: "homeless"
        case 2: "institutional"
        case 3: "temporary"
        case 4: "permanent"
        default: "other"
        }
    }
    public static func find(_ code: Int?) -> HUDDestination? { all.first { $0.code == code } }
}

/// A service given to a client: what, when, how much, by whom; for financial assistance, the amount,
/// the period it covers and who was paid.
public struct ServiceRecord: StoredRecord, AgencyOwned, Equatable {
    public static let table = "service_records"
    public var id: UUID
    public var agencyID: UUID
    public var caseID: UUID
    public var clientID: UUID
    public var recordType: Int
    public var typeProvided: Int
    public var providedOn: LocalDate
    public var units: Double?
    public var unitLabel: String?
    public var providerName: String?
    public var directoryServiceID: UUID?
    public var referralID: UUID?
    public var amountCents: Int?
    public var periodStart: LocalDate?
    public var periodEnd: LocalDate?
    public var payee: String?
    public var notes: String?
    public var createdBy: UUID
    public var createdAt: Date
    public var version: Int
    public var type: HUDServiceType? { HUDServiceTypes.find("\(recordType):\(typeProvided)") }
    public var index: [String: IndexValue] {
        [
            "agency_id": .uuid(agencyID), "case_id": .uuid(caseID), "client_id": .uuid(clientID),
            "provided_on": .text(providedOn.description),
            "record_type": .int(recordType)
        ]
    }
}

public struct ServiceRecordInput: Sendable, Codable, Equatable {
    public var typeCode: String?
    public var providedOn: String?
    public var units: Double?
    public var unitLabel: String?
    public var providerName: String?
    public var referralID: UUID?
    /// Dollars as entered ("1250.00").
    public var amount: String?
    public var periodStart: String?
    public var periodEnd: String?
    public var payee: String?
    public var notes: String?
    public init(
        typeCode: String? = nil, providedOn: String? = nil, units: Double? = nil, unitLabel: String? = nil,
        providerName: String? = nil,
        referralID: UUID? = nil, amount: String? = nil, periodStart: String? = nil, periodEnd: String? = nil,
        payee: String? = nil, notes: String? = nil
    ) {
        self.typeCode = typeCode
        self.providedOn = providedOn
        self.units = units
        self.unitLabel = unitLabel
        self.providerName = providerName
        self.referralID = referralID
        self.amount = amount
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.payee = payee
        self.notes = notes
    }
}

public struct ServiceRecordService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    public func record(caseID: UUID, _ input: ServiceRecordInput, by actor: ActingUser) async throws -> ServiceRecord {
        let c = try await store.writableCase(caseID, actor, "record a service", at: deps.now())
        var v = Validator()
        let type = HUDServiceTypes.find(input.typeCode)
        if input.typeCode?.isEmpty ?? true {
            v.add("typeCode", "is required")
        } else if type == nil {
            v.add("typeCode", "is not one of HUD's service types")
        }
        let on = v.date(
            "providedOn", input.providedOn, required: true, today: deps.today, notBefore: c.openedOn,
            notBeforeMessage: "cannot be before the case opened (\(c.openedOn))")
        if let u = input.units {
            if u < 0 {
                v.add("units", "cannot be negative")
            } else if u > 10_000 || !u.isFinite {
                v.add("units", "is too large")
            }
        }
        let unitLabel = v.text("unitLabel", input.unitLabel, max: 40)
        let provider = v.text("providerName", input.providerName, max: 200)
        let notes = v.text("notes", input.notes, max: 2000)
        let fa = type?.isFinancialAssistance ?? false
        let amount = v.money("amount", input.amount, required: fa)
        if fa, let amount, amount == 0 { v.add("amount", "must be more than zero") }
        if !fa, amount != nil { v.add("amount", "only financial assistance has an amount") }
        let start = v.anyDate("periodStart", input.periodStart, required: fa, around: deps.today, years: 5)
        let end = v.anyDate("periodEnd", input.periodEnd, required: fa, around: deps.today, years: 5)
        if let start, let end, end < start { v.add("periodEnd", "cannot be before the start of the period") }
        let payee = v.text("payee", input.payee, required: fa, max: 200)
        var referral: Referral? = nil
        if let rid = input.referralID {
            referral = try await store.record(Referral.self, id: rid)
            if referral?.caseID != c.id {
                v.add("referralID", "is not a referral of this case")
                referral = nil
            }
        }
        try v.check()
        let rec = ServiceRecord(
            id: deps.newID(), agencyID: c.agencyID, caseID: c.id, clientID: c.clientID, recordType: type!.recordType,
            typeProvided: type!.typeProvided, providedOn: on!, units: input.units, unitLabel: unitLabel,
            providerName: provider ?? referral?.providerName, directoryServiceID: referral?.serviceID,
            referralID: referral?.id,
            amountCents: amount, periodStart: fa ? start : nil, periodEnd: fa ? end : nil, payee: fa ? payee : nil,
            notes: notes,
            createdBy: actor.id, createdAt: deps.now(), version: 1)
        try await store.transaction { tx in
            try await tx.insertRecord(rec)
            try await tx.appendAudit([
                deps.audit(actor, .serviceRecord, "service_record", rec.id, clientID: rec.clientID)
            ])
        }
        return rec
    }

    public func list(caseID: UUID, by actor: ActingUser) async throws -> [ServiceRecord] {
        let (c, access) = try await store.readableCaseAccess(caseID, actor, at: deps.now())
        try await store.appendAudit([deps.listed(actor, "services", c, access)])
        return try await store.records(
            ServiceRecord.self, [.equals("case_id", .uuid(c.id))], order: [RecordOrder("provided_on", descending: true)]
        )
    }
}
