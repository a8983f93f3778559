import Foundation

public enum TaskKind: String, Sendable, Codable, CaseIterable { case task, appointment }
public enum TaskStatus: String, Sendable, Codable, CaseIterable { case open, done, cancelled }
/// Why a task exists: written by someone, or made by Trellis from another record.
public enum TaskSource: String, Sendable, Codable, CaseIterable {
    case manual
    case referralFollowUp = "referral_follow_up"
    case closureFollowUp = "closure_follow_up"
    case filingDeadline = "filing_deadline"
    case hearing
    /// Someone outside the care team broke the glass on the client's record.
    case breakGlass = "break_glass"
    /// A colleague asks to join the care team.
    case accessRequest = "access_request"
}

public struct CaseTask: StoredRecord, AgencyOwned, Equatable {
    public static let table = "tasks"
    public var id: UUID
    public var agencyID: UUID
    public var assigneeID: UUID
    public var caseID: UUID?
    public var clientID: UUID?
    public var goalID: UUID?
    public var kind: TaskKind
    public var title: String
    public var details: String?
    /// The day it is due; for an appointment, the day it starts.
    public var dueOn: LocalDate
    public var startsAt: Date?
    public var endsAt: Date?
    public var location: String?
    public var status: TaskStatus
    public var source: TaskSource
    public var sourceID: UUID?
    /// Nil when Trellis made the task itself.
    public var createdBy: UUID?
    public var createdAt: Date
    public var completedAt: Date?
    public var completedBy: UUID?
    /// The day it was first due, once it has been snoozed to a later day.
    public var snoozedFrom: LocalDate?
    public var version: Int
    public init(
        id: UUID, agencyID: UUID, assigneeID: UUID, caseID: UUID?, clientID: UUID?, goalID: UUID? = nil, kind: TaskKind,
        title: String,
        details: String? = nil, dueOn: LocalDate, startsAt: Date? = nil, endsAt: Date? = nil, location: String? = nil,
        status: TaskStatus,
        source: TaskSource, sourceID: UUID? = nil, createdBy: UUID?, createdAt: Date, version: Int
    ) {
        self.id = id
        self.agencyID = agencyID
        self.assigneeID = assigneeID
        self.caseID = caseID
        self.clientID = clientID
        self.goalID = goalID
        self.kind = kind
        self.title = title
        self.details = details
        self.dueOn = dueOn
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.location = location
        self.status = status
        self.source = source
        self.sourceID = sourceID
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.version = version
    }
    public var index: [String: IndexValue] {
        [
            "agency_id": .uuid(agencyID), "assignee_id": .uuid(assigneeID), "case_id": .uuid(caseID),
            "status": .text(status.rawValue),
            "due_on": .text(dueOn.description), "source_id": .uuid(sourceID)
        ]
    }
    public func isOverdue(_ today: LocalDate) -> Bool { status == .open && dueOn < today }
}

public struct TaskInput: Sendable, Codable, Equatable {
    public var kind: String?
    public var title: String?
    public var details: String?
    public var assigneeID: UUID?
    public var caseID: UUID?
    public var goalID: UUID?
    public var dueOn: String?
    /// Appointment start as HH:MM on `dueOn`, in the agency's time zone, and its length.
    public var startTime: String?
    public var durationMinutes: Int?
    public var location: String?
    public init(
        kind: String? = nil, title: String? = nil, details: String? = nil, assigneeID: UUID? = nil, caseID: UUID? = nil,
        goalID: UUID? = nil,
        dueOn: String? = nil, startTime: String? = nil, durationMinutes: Int? = nil, location: String? = nil
    ) {
        self.kind = kind
        self.title = title
        self.details = details
        self.assigneeID = assigneeID
        self.caseID = caseID
        self.goalID = goalID
        self.dueOn = dueOn
        self.startTime = startTime
        self.durationMinutes = durationMinutes
        self.location = location
    }
}

/// Which of a staff member's tasks a list shows. Nil status means every status.
public struct TaskQuery: Sendable, Equatable {
    public var status: TaskStatus?
    public var clientID: UUID?
    public var dueFrom: LocalDate?
    public var dueTo: LocalDate?
    public var limit: Int
    public var offset: Int
    public init(
        status: TaskStatus? = .open, clientID: UUID? = nil, dueFrom: LocalDate? = nil, dueTo: LocalDate? = nil,
        limit: Int = 50, offset: Int = 0
    ) {
        self.status = status
        self.clientID = clientID
        self.dueFrom = dueFrom
        self.dueTo = dueTo
        self.limit = limit
        self.offset = offset
    }

    /// Reads a list's filters as typed (a form or a query string): `status` is open (when empty), done,
    /// cancelled or all; `client` a client id; `from` and `to` due dates. Bad values are field errors.
    public static func parse(
        status: String?, client: String?, from: String?, to: String?, limit: Int = 50, offset: Int = 0,
        today: LocalDate
    ) throws -> TaskQuery {
        var v = Validator()
        var q = TaskQuery(limit: limit, offset: offset)
        let s = (status ?? "").trimmingCharacters(in: .whitespaces)
        if s == "all" {
            q.status = nil
        } else if !s.isEmpty {
            q.status = v.choice("status", s, as: TaskStatus.self)
        }
        if let c = client?.trimmingCharacters(in: .whitespaces), !c.isEmpty {
            q.clientID = UUID(uuidString: c)
            if q.clientID == nil { v.add("client", "is not a client id") }
        }
        q.dueFrom = v.anyDate("from", from, around: today, years: 20)
        q.dueTo = v.anyDate("to", to, around: today, years: 20)
        if let f = q.dueFrom, let t = q.dueTo, t < f { v.add("to", "must not be before the first day") }
        if !(1...500).contains(limit) { v.add("limit", "must be between 1 and 500") }
        if offset < 0 { v.add("offset", "cannot be negative") }
        try v.check()
        return q
    }
}

/// A task as a list shows it: with the client's name and the program of its case.
public struct TaskRow: Sendable {
    public var task: CaseTask
    public var client: ClientSummary?
    public var programName: String?
    public init(task: CaseTask, client: ClientSummary?, programName: String?) {
        self.task = task
        self.client = client
        self.programName = programName
    }
}

/// One page of a staff member's tasks, with the clients their tasks are for (to filter by).
public struct TaskListing: Sendable {
    public var rows: [TaskRow]
    /// Tasks that match, on every page.
    public var total: Int
    public var clients: [ClientSummary]
    public var query: TaskQuery
}

public struct TaskService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    /// What a task's fields come to once checked: the same rules for a new task and an edited one.
    private struct Checked {
        var kind: TaskKind
        var title: String
        var details: String?
        var dueOn: LocalDate
        var startsAt: Date?
        var endsAt: Date?
        var location: String?
        var assigneeID: UUID
    }

    private func check(_ input: TaskInput, _ v: inout Validator, by actor: ActingUser) async throws -> Checked? {
        let kind = v.choice("kind", input.kind ?? TaskKind.task.rawValue, as: TaskKind.self)
        let title = v.text("title", input.title, required: true, max: 200)
        let details = v.text("details", input.details, max: 4000)
        let due = v.anyDate("dueOn", input.dueOn, required: true, around: deps.today, years: 5)
        let location = v.text("location", input.location, max: 300)
        let assigneeID = input.assigneeID ?? actor.id
        let assignee = try await store.staff(id: assigneeID)
        if assignee == nil || assignee?.agencyID != actor.agencyID || assignee?.active == false
            || assignee?.role == .auditor
        {
            v.add("assigneeID", "is not a staff member of your agency who can take tasks")
        }
        var startsAt: Date? = nil
        var endsAt: Date? = nil
        if kind == .appointment {
            let minutes = v.integer("durationMinutes", input.durationMinutes ?? 60, range: 5...720)
            let time = (input.startTime ?? "").trimmingCharacters(in: .whitespaces)
            let parts = time.split(separator: ":").compactMap { Int($0) }
            if time.isEmpty {
                v.add("startTime", "an appointment needs a start time")
            } else if parts.count != 2 || !(0...23).contains(parts[0]) || !(0...59).contains(parts[1]) {
                v.add("startTime", "must be a time such as 14:30")
            } else if let due, let minutes {
                var cal = Calendar(identifier: .gregorian)
                cal.timeZone = deps.timeZone
                startsAt = cal.date(
                    from: DateComponents(
                        year: due.year, month: due.month, day: due.day, hour: parts[0], minute: parts[1]))
                endsAt = startsAt?.addingTimeInterval(Double(minutes) * 60)
            }
        }
        guard let kind, let title, let due, v.errors.isEmpty else { return nil }
        return Checked(
            kind: kind, title: title, details: details, dueOn: due, startsAt: startsAt, endsAt: endsAt,
            location: location, assigneeID: assigneeID)
    }

    public func create(_ input: TaskInput, by actor: ActingUser) async throws -> CaseTask {
        try Policy.require(actor, .writeNote)
        var v = Validator()
        var c: Case? = nil
        if let cid = input.caseID {
            c = try await store.case(id: cid)
            if c == nil || c?.agencyID != actor.agencyID {
                v.add("caseID", "is not a case of your agency")
                c = nil
            }
        }
        if let c { _ = try await store.requireCaseAccess(c, actor, .write, at: deps.now()) }
        let checked = try await check(input, &v, by: actor)
        try v.check()
        guard let k = checked else { throw TrellisError.validation(v.errors) }
        let task = CaseTask(
            id: deps.newID(), agencyID: actor.agencyID, assigneeID: k.assigneeID, caseID: c?.id, clientID: c?.clientID,
            goalID: input.goalID,
            kind: k.kind, title: k.title, details: k.details, dueOn: k.dueOn, startsAt: k.startsAt, endsAt: k.endsAt,
            location: k.location,
            status: .open, source: .manual, createdBy: actor.id, createdAt: deps.now(), version: 1)
        try await store.transaction { tx in
            try await tx.insertRecord(task)
            try await tx.appendAudit([deps.audit(actor, .taskCreate, "task", task.id, clientID: task.clientID)])
        }
        return task
    }

    /// An open task its assignee, its creator or a supervisor may change.
    private func editable(_ id: UUID, expectedVersion: Int?, by actor: ActingUser) async throws -> CaseTask {
        let t = try await visibleTask(id, by: actor)
        try Policy.require(actor, .editTask(assigneeID: t.assigneeID, createdBy: t.createdBy))
        guard let expectedVersion else { throw TrellisError.preconditionRequired("Send the version you edited.") }
        guard expectedVersion == t.version else {
            throw TrellisError.conflict("Someone else changed this task since you opened it.")
        }
        guard t.status == .open else {
            throw TrellisError.conflict("This task is no longer open; reopen it to change it.")
        }
        return t
    }

    private func save(_ t: CaseTask, from version: Int, _ action: AuditAction, changed: [String], by actor: ActingUser)
        async throws
    {
        let deps = deps
        try await store.transaction { tx in
            try await tx.update(t, from: version, "Someone else changed this task since you opened it.")
            try await tx.appendAudit([deps.audit(actor, action, "task", t.id, clientID: t.clientID, changed: changed)])
        }
    }

    /// Changes a task's title, details, kind, due date (and time), place or assignee. Its case stays.
    public func update(_ id: UUID, _ input: TaskInput, expectedVersion: Int?, by actor: ActingUser) async throws
        -> CaseTask
    {
        let old = try await editable(id, expectedVersion: expectedVersion, by: actor)
        // What the edit leaves out stays as it was: the task keeps its assignee and its kind.
        var input = input
        if input.assigneeID == nil { input.assigneeID = old.assigneeID }
        if input.kind == nil { input.kind = old.kind.rawValue }
        var v = Validator()
        let checked = try await check(input, &v, by: actor)
        try v.check()
        guard let k = checked else { throw TrellisError.validation(v.errors) }
        var t = old
        t.kind = k.kind
        t.title = k.title
        t.details = k.details
        t.dueOn = k.dueOn
        t.startsAt = k.startsAt
        t.endsAt = k.endsAt
        t.location = k.location
        t.assigneeID = k.assigneeID
        var changed = ChangedFields(old, t)
        changed.check("kind", \.kind)
        changed.check("title", \.title)
        changed.check("details", \.details)
        changed.check("dueOn", \.dueOn)
        changed.check("startsAt", \.startsAt)
        changed.check("endsAt", \.endsAt)
        changed.check("location", \.location)
        changed.check("assigneeID", \.assigneeID)
        if changed.names.isEmpty { return old }
        t.version += 1
        try await save(t, from: old.version, .taskUpdate, changed: changed.names, by: actor)
        return t
    }

    /// Moves an open task to a later day, keeping the day it was first due. Appointments are moved by editing
    /// their date and time, since someone else is expecting them.
    public func snooze(_ id: UUID, until: String?, expectedVersion: Int?, by actor: ActingUser) async throws
        -> CaseTask
    {
        let old = try await editable(id, expectedVersion: expectedVersion, by: actor)
        var v = Validator()
        if old.kind == .appointment {
            v.add("until", "an appointment is moved by editing its date and time")
        }
        let day = v.anyDate("until", until, required: true, around: deps.today, years: 2)
        let earliest = max(old.dueOn.adding(days: 1), deps.today)
        if let day, day < earliest { v.add("until", "must be later than the day it is due, and not before today") }
        try v.check()
        var t = old
        t.snoozedFrom = old.snoozedFrom ?? old.dueOn
        t.dueOn = day!
        t.version += 1
        try await save(t, from: old.version, .taskSnooze, changed: ["dueOn"], by: actor)
        return t
    }

    /// Marks a task done or cancelled (or open again). Anyone of the agency who may write may do it.
    public func setStatus(_ id: UUID, _ status: String?, expectedVersion: Int?, by actor: ActingUser) async throws
        -> CaseTask
    {
        var t = try await visibleTask(id, by: actor)
        try Policy.require(actor, .writeNote)
        var v = Validator()
        let s = v.choice("status", status, as: TaskStatus.self)
        try v.check()
        guard let expectedVersion else { throw TrellisError.preconditionRequired("Send the version you edited.") }
        guard expectedVersion == t.version else {
            throw TrellisError.conflict("Someone else changed this task since you opened it.")
        }
        if t.status == s! { return t }
        t.status = s!
        t.completedAt = s == .open ? nil : deps.now()
        t.completedBy = s == .open ? nil : actor.id
        t.version += 1
        let saved = t
        try await store.transaction { tx in
            try await tx.update(saved, from: expectedVersion, "Someone else changed this task since you opened it.")
            try await tx.appendAudit([
                deps.audit(actor, .taskUpdate, "task", saved.id, clientID: saved.clientID, changed: ["status"])
            ])
        }
        return saved
    }

    /// A staff member's tasks that match the query, earliest due first (overdue at the top), each with its
    /// client's name and its case's program. Every client named on the page or in the client filter is audited.
    public func list(for staffID: UUID, _ q: TaskQuery, by actor: ActingUser) async throws -> TaskListing {
        if staffID != actor.id { try Policy.require(actor, .viewTeamCaseloads) }
        if q.status == .open || q.status == nil {
            _ = try? await ReferralService(store: store, deps: deps).createFollowUps(agencyID: actor.agencyID)
        }
        var filters: [RecordFilter] = [
            .equals("assignee_id", .uuid(staffID)), .equals("agency_id", .uuid(actor.agencyID))
        ]
        if let s = q.status { filters.append(.equals("status", .text(s.rawValue))) }
        if let f = q.dueFrom { filters.append(.atLeast("due_on", .text(f.description))) }
        if let t = q.dueTo { filters.append(.atMost("due_on", .text(t.description))) }
        let all = try await store.records(CaseTask.self, filters, order: [RecordOrder("due_on")], limit: 5000)
            .sorted { a, b in
                if a.dueOn != b.dueOn { return a.dueOn < b.dueOn }
                if a.startsAt != b.startsAt { return (a.startsAt ?? .distantPast) < (b.startsAt ?? .distantPast) }
                return a.title < b.title
            }
        let clients = try await store.clientSummaries(
            ids: Array(Set(all.compactMap(\.clientID))), agencyID: actor.agencyID)
        let matching = q.clientID.map { c in all.filter { $0.clientID == c } } ?? all
        let page = Array(matching.dropFirst(q.offset).prefix(q.limit))
        let cases = try await store.cases(ids: Array(Set(page.compactMap(\.caseID))), agencyID: actor.agencyID)
        let programs = Dictionary(
            try await store.programs(agencyID: actor.agencyID).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }
        )
        let programOfCase = Dictionary(
            cases.map { ($0.id, programs[$0.programID]) }, uniquingKeysWith: { a, _ in a })
        if !clients.isEmpty {
            try await store.appendAudit(
                clients.keys.sorted { $0.uuidString < $1.uuidString }.map {
                    deps.audit(actor, .taskList, "client", $0, clientID: $0)
                })
        }
        return TaskListing(
            rows: page.map {
                TaskRow(
                    task: $0, client: $0.clientID.flatMap { clients[$0] },
                    programName: $0.caseID.flatMap { programOfCase[$0] ?? nil })
            },
            total: matching.count,
            clients: clients.values.sorted {
                ($0.lastName ?? "", $0.firstName ?? "", $0.id.uuidString)
                    < ($1.lastName ?? "", $1.firstName ?? "", $1.id.uuidString)
            },
            query: q)
    }

    /// A staff member's week from `start` (any day; the week runs Monday to Sunday): tasks and appointments due,
    /// open or done, in time order. Cancelled ones are left out.
    public func week(for staffID: UUID, containing day: LocalDate, by actor: ActingUser) async throws -> [TaskRow] {
        let monday = day.weekStart
        let listing = try await list(
            for: staffID, TaskQuery(status: nil, dueFrom: monday, dueTo: monday.adding(days: 6), limit: 500),
            by: actor)
        return listing.rows.filter { $0.task.status != .cancelled }
    }

    /// One task with its client's name and case's program; reading it is audited on the client.
    public func row(_ id: UUID, by actor: ActingUser) async throws -> TaskRow {
        let t = try await visibleTask(id, by: actor)
        var client: ClientSummary? = nil
        if let id = t.clientID { client = try await store.clientSummaries(ids: [id], agencyID: actor.agencyID)[id] }
        var program: String? = nil
        if let cid = t.caseID, let c = try await store.cases(ids: [cid], agencyID: actor.agencyID).first {
            program = try await store.program(id: c.programID)?.name
        }
        try await store.appendAudit([deps.audit(actor, .taskView, "task", t.id, clientID: t.clientID)])
        return TaskRow(task: t, client: client, programName: program)
    }

    /// A staff member's open tasks and appointments, oldest due first (overdue at the top).
    public func open(for staffID: UUID, by actor: ActingUser) async throws -> [CaseTask] {
        if staffID != actor.id { try Policy.require(actor, .viewTeamCaseloads) }
        _ = try? await ReferralService(store: store, deps: deps).createFollowUps(agencyID: actor.agencyID)
        return try await store.records(
            CaseTask.self,
            [
                .equals("assignee_id", .uuid(staffID)), .equals("agency_id", .uuid(actor.agencyID)),
                .equals("status", .text(TaskStatus.open.rawValue))
            ],
            order: [RecordOrder("due_on")], limit: 500)
    }

    public func forCase(_ caseID: UUID, by actor: ActingUser) async throws -> [CaseTask] {
        let (c, access) = try await store.readableCaseAccess(caseID, actor, at: deps.now())
        try await store.appendAudit([deps.listed(actor, "tasks", c, access)])
        return try await store.records(CaseTask.self, [.equals("case_id", .uuid(c.id))], order: [RecordOrder("due_on")])
    }

    public func task(_ id: UUID, by actor: ActingUser) async throws -> CaseTask {
        try await visibleTask(id, by: actor)
    }

    /// A task is its assignee's and its creator's to see; anyone else needs to be on its case's care team.
    func visibleTask(_ id: UUID, by actor: ActingUser) async throws -> CaseTask {
        let t = try await store.agencyRecord(CaseTask.self, id, actor, "task")
        if t.assigneeID != actor.id && t.createdBy != actor.id, let caseID = t.caseID {
            _ = try await store.readableCase(caseID, actor, at: deps.now())
        }
        return t
    }

    /// Whether the actor has a calendar feed (its secret is never stored, so it cannot be shown again).
    public func hasCalendarFeed(by actor: ActingUser) async throws -> Bool {
        try await store.record(CalendarFeed.self, id: actor.id) != nil
    }

    /// Gives the actor's calendar feed a new secret (only its hash is kept); the old address stops working.
    public func resetCalendarFeed(tokenHash hash: String, by actor: ActingUser) async throws {
        let deps = deps
        try await store.transaction { tx in
            if let old = try await tx.record(CalendarFeed.self, id: actor.id) {
                var f = old
                f.tokenHash = hash
                f.createdAt = deps.now()
                f.version += 1
                try await tx.update(f, from: old.version)
            } else {
                try await tx.insertRecord(
                    CalendarFeed(id: actor.id, tokenHash: hash, createdAt: deps.now(), version: 1))
            }
            try await AuditService(store: tx, deps: deps).record(
                actor, .calendarReset, recordType: "calendar_feed", recordID: actor.id)
        }
    }

    /// The calendar of the active staff member whose feed secret has this hash, or nil: the feed is found
    /// by its secret alone, so calendar programs can fetch it without a session.
    public func calendar(tokenHash hash: String) async throws -> (staff: StaffMember, tasks: [CaseTask])? {
        guard let feed = try await store.records(CalendarFeed.self, [.equals("token_hash", .text(hash))]).first,
            let staff = try await store.staff(id: feed.id), staff.active
        else { return nil }
        let tasks = try await self.feed(staffID: staff.id)
        // A feed names the clients of its tasks, and is read outside Trellis: each fetch is audited, the feed
        // and each client it names.
        let reader = ActingUser(staff)
        try await store.appendAudit(
            [deps.audit(reader, .calendarRead, "calendar_feed", staff.id, clientID: nil)]
                + Array(Set(tasks.compactMap(\.clientID))).sorted { $0.uuidString < $1.uuidString }.map {
                    deps.audit(reader, .calendarRead, "client", $0, clientID: $0)
                })
        return (staff, tasks)
    }

    /// Everything for a user's calendar feed: open and recent tasks and appointments.
    /// A restricted program's tasks leave Trellis as "Restricted program appointment" (or task), with no
    /// details or place: a calendar feed is read outside Trellis, by programs Trellis does not control.
    public func feed(staffID: UUID) async throws -> [CaseTask] {
        let since = deps.today.adding(days: -60).description
        let tasks = try await store.records(
            CaseTask.self, [.equals("assignee_id", .uuid(staffID)), .atLeast("due_on", .text(since))],
            order: [RecordOrder("due_on")], limit: 2000)
        guard let agencyID = tasks.first?.agencyID else { return tasks }
        let restricted = Set(try await store.programs(agencyID: agencyID).filter { $0.restriction != nil }.map(\.id))
        guard !restricted.isEmpty else { return tasks }
        let caseIDs = Array(Set(tasks.compactMap(\.caseID)))
        let hidden = Set(
            try await store.cases(ids: caseIDs, agencyID: agencyID).filter { restricted.contains($0.programID) }.map(
                \.id))
        return tasks.map { t in
            guard let c = t.caseID, hidden.contains(c) else { return t }
            var r = t
            r.title = t.kind == .appointment ? "Restricted program appointment" : "Restricted program task"
            r.details = nil
            r.location = nil
            return r
        }
    }
}

/// A private calendar feed: one per staff member, found by the hash of its secret token.
public struct CalendarFeed: StoredRecord, Equatable {
    public static let table = "calendar_feeds"
    /// The staff member's id: one feed each.
    public var id: UUID
    public var tokenHash: String
    public var createdAt: Date
    public var version: Int
    public init(id: UUID, tokenHash: String, createdAt: Date, version: Int) {
        self.id = id
        self.tokenHash = tokenHash
        self.createdAt = createdAt
        self.version = version
    }
    public var index: [String: IndexValue] { ["token_hash": .text(tokenHash)] }
}

/// Writes tasks and appointments as an iCalendar (RFC 5545) feed. Titles only: no client names or
/// notes leave Trellis this way; each event links back to the task, behind sign-in.
public enum ICalendar {
    public static func render(_ tasks: [CaseTask], name: String, baseURL: String, now: Date) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Trellis//Case management//EN", "CALSCALE:GREGORIAN",
            "X-WR-CALNAME:" + escape(name), "X-PUBLISHED-TTL:PT15M"
        ]
        for t in tasks {
            lines.append("BEGIN:VEVENT")
            lines.append("UID:\(t.id.uuidString.lowercased())@trellis")
            lines.append("DTSTAMP:" + utc(now))
            if let s = t.startsAt, let e = t.endsAt {
                lines.append("DTSTART:" + utc(s))
                lines.append("DTEND:" + utc(e))
            } else {
                lines.append("DTSTART;VALUE=DATE:" + compact(t.dueOn))
                lines.append("DTEND;VALUE=DATE:" + compact(t.dueOn.adding(days: 1)))
            }
            lines.append("SUMMARY:" + escape((t.kind == .appointment ? "" : "Due: ") + t.title))
            if let l = t.location { lines.append("LOCATION:" + escape(l)) }
            lines.append("URL:\(baseURL)/tasks/\(t.id.uuidString.lowercased())")
            lines.append("STATUS:" + (t.status == .cancelled ? "CANCELLED" : "CONFIRMED"))
            if t.status == .done { lines.append("X-TRELLIS-STATUS:DONE") }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;").replacingOccurrences(
            of: ",", with: "\\,"
        )
        .replacingOccurrences(of: "\r\n", with: "\\n").replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(
            of: "\r", with: "")
    }
    static func compact(_ d: LocalDate) -> String { d.description.replacingOccurrences(of: "-", with: "") }
    static func utc(_ d: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: d)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }
    /// Lines longer than 75 octets continue on the next line after a space, never inside a character.
    static func fold(_ line: String) -> String {
        var out = ""
        var count = 0
        for ch in line {
            let n = String(ch).utf8.count
            if count + n > 75 {
                out += "\r\n "
                count = 1
            }
            out.append(ch)
            count += n
        }
        return out
    }
}
