import Foundation

public struct ReferralReportRow: Sendable, Equatable, Codable {
    public var key: String
    public var made = 0, accepted = 0, connected = 0, completed = 0
    public var medianDaysToConnection: Double?
    public init(key: String) { self.key = key }
}

public struct ReferralReport: Sendable, Equatable, Codable {
    public var from: LocalDate
    public var to: LocalDate
    public var byProvider: [ReferralReportRow]
    public var byNeed: [ReferralReportRow]
    public var total: ReferralReportRow
    public static func empty(_ d: LocalDate) -> ReferralReport {
        ReferralReport(from: d, to: d, byProvider: [], byNeed: [], total: ReferralReportRow(key: ""))
    }
}

public struct ServiceReportRow: Sendable, Equatable, Codable {
    public var period: String
    public var typeCode: String
    public var typeLabel: String
    public var count = 0
    public var clients = 0
    public var units = 0.0
    public var amountCents = 0
}

public struct ServiceReport: Sendable, Equatable, Codable {
    public var from: LocalDate
    public var to: LocalDate
    public var rows: [ServiceReportRow]
    public var totalCount: Int
    public var totalAmountCents: Int
    public static func empty(_ d: LocalDate) -> ServiceReport {
        ServiceReport(from: d, to: d, rows: [], totalCount: 0, totalAmountCents: 0)
    }
}

public enum ReportPeriod: String, Sendable, CaseIterable { case month, quarter, year }

/// Referral and service reports for the agency over a date range.
public struct ReportService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    public func range(_ from: String?, _ to: String?) throws -> (LocalDate, LocalDate) {
        var v = Validator()
        let today = deps.today
        let f =
            from?.isEmpty == false
            ? v.anyDate("from", from, around: today) : LocalDate(year: today.year, month: 1, day: 1)
        let t = to?.isEmpty == false ? v.anyDate("to", to, around: today) : today
        if let f, let t, t < f { v.add("to", "cannot be before the start of the range") }
        try v.check()
        return (f!, t!)
    }

    static func median(_ xs: [Int]) -> Double? {
        guard !xs.isEmpty else { return nil }
        let s = xs.sorted()
        let m = s.count / 2
        return s.count % 2 == 1 ? Double(s[m]) : Double(s[m - 1] + s[m]) / 2
    }

    /// Referrals sent in the range, by provider and by need, with how far each got.
    public func referrals(from: String?, to: String?, by actor: ActingUser, export: Bool = false) async throws
        -> ReferralReport
    {
        try Policy.require(actor, .viewReports)
        let (f, t) = try range(from, to)
        let list = try await store.records(
            Referral.self,
            [
                .equals("agency_id", .uuid(actor.agencyID)), .atLeast("sent_on", .text(f.description)),
                .atMost("sent_on", .text(t.description))
            ])
        func rows(_ key: (Referral) -> String) -> [ReferralReportRow] {
            Dictionary(grouping: list, by: key).map { k, rs in Self.row(k, rs) }.sorted {
                ($0.made, $1.key) > ($1.made, $0.key)
            }
        }
        if export {
            try await store.appendAudit([deps.audit(actor, .reportExport, "report.referrals", nil, clientID: nil)])
        }
        return ReferralReport(
            from: f, to: t, byProvider: rows { $0.providerName }, byNeed: rows { $0.need ?? "" },
            total: Self.row("", list))
    }

    static func row(_ key: String, _ rs: [Referral]) -> ReferralReportRow {
        var r = ReferralReportRow(key: key)
        r.made = rs.count
        r.accepted = rs.filter { $0.reached(.accepted) }.count
        r.connected = rs.filter { $0.connectedOn != nil }.count
        r.completed = rs.filter { $0.status == .completed }.count
        r.medianDaysToConnection = median(rs.compactMap(\.daysToConnection))
        return r
    }

    /// Services given in the range, by period and type: how many, to how many clients, units and amounts.
    public func services(from: String?, to: String?, period: String?, by actor: ActingUser, export: Bool = false)
        async throws -> ServiceReport
    {
        try Policy.require(actor, .viewReports)
        let (f, t) = try range(from, to)
        let p = ReportPeriod(rawValue: period ?? "") ?? .month
        let list = try await store.records(
            ServiceRecord.self,
            [
                .equals("agency_id", .uuid(actor.agencyID)), .atLeast("provided_on", .text(f.description)),
                .atMost("provided_on", .text(t.description))
            ])
        func label(_ d: LocalDate) -> String {
            switch p {
            case .month: String(format: "%04d-%02d", d.year, d.month)
            case .quarter: "\(d.year)-Q\((d.month - 1) / 3 + 1)"
            case .year: String(d.year)
            }
        }
        var rows: [String: ServiceReportRow] = [:]
        var clients: [String: Set<UUID>] = [:]
        for s in list {
            let code = "\(s.recordType):\(s.typeProvided)"
            let key = label(s.providedOn) + "|" + code
            var r =
                rows[key]
                ?? ServiceReportRow(
                    period: label(s.providedOn), typeCode: code,
                    typeLabel: s.type.map { "\($0.recordLabel): \($0.label)" } ?? code)
            r.count += 1
            r.units += s.units ?? 0
            r.amountCents += s.amountCents ?? 0
            clients[key, default: []].insert(s.clientID)
            r.clients = clients[key]!.count
            rows[key] = r
        }
        if export {
            try await store.appendAudit([deps.audit(actor, .reportExport, "report.services", nil, clientID: nil)])
        }
        return ServiceReport(
            from: f, to: t, rows: rows.values.sorted { ($0.period, $0.typeLabel) < ($1.period, $1.typeLabel) },
            totalCount: list.count, totalAmountCents: list.compactMap(\.amountCents).reduce(0, +))
    }
}

public enum Money {
    /// Cents as dollars: 125050 → "1,250.50".
    public static func format(_ cents: Int) -> String {
        let f = NumberFormatter()
        f.locale = Locale(identifier: "en_US")
        f.numberStyle = .decimal
        f.minimumFractionDigits = 2
        f.maximumFractionDigits = 2
        return f.string(from: NSNumber(value: Double(cents) / 100)) ?? String(Double(cents) / 100)
    }
}
