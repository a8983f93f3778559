import Foundation

/// An agency form as an admin fills in the form builder: each field's label, type, whether it is
/// required, and its options (one per line, "Label" or "Label = value"); optional sum scoring with
/// bands ("0-4 Low", one per line).
public struct FormDraft: Sendable, Codable {
    public struct Field: Sendable, Codable {
        /// Kept from the previous version, so answers stay comparable across versions.
        public var id: String?
        public var label: String?
        public var kind: String?
        public var required: Bool
        public var options: String?
        public var scaleMin: String?
        public var scaleMax: String?
        public init(
            id: String? = nil, label: String?, kind: String?, required: Bool = false, options: String? = nil,
            scaleMin: String? = nil, scaleMax: String? = nil
        ) {
            self.id = id
            self.label = label
            self.kind = kind
            self.required = required
            self.options = options
            self.scaleMin = scaleMin
            self.scaleMax = scaleMax
        }
        var isBlank: Bool {
            [label, options].allSatisfy { ($0 ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        }
    }
    public var title: String?
    public var purpose: String?
    public var programIDs: [UUID]
    public var scored: Bool
    public var bands: String?
    public var fields: [Field]
    public init(
        title: String?, purpose: String?, programIDs: [UUID] = [], scored: Bool = false, bands: String? = nil,
        fields: [Field]
    ) {
        self.title = title
        self.purpose = purpose
        self.programIDs = programIDs
        self.scored = scored
        self.bands = bands
        self.fields = fields
    }

    /// The draft a definition was built from, for editing it.
    public init(_ d: InstrumentDefinition) {
        title = d.title
        purpose = d.purpose.rawValue
        programIDs = d.programIDs
        scored = d.scoring == .sum
        bands = d.bands.map { "\($0.min)-\($0.max) \($0.label)" }.joined(separator: "\n")
        fields = d.items.map { i in
            Field(
                id: i.id, label: i.text, kind: i.kind.rawValue, required: i.required,
                options: [.choice, .multipleChoice].contains(i.kind)
                    ? i.options.map { "\($0.label) = \($0.value)" }.joined(separator: "\n") : nil,
                scaleMin: i.kind == .scale ? i.options.first.map { String($0.value) } : nil,
                scaleMax: i.kind == .scale ? i.options.last.map { String($0.value) } : nil)
        }
    }
}

public enum FormBuilder {
    /// Builds a definition from a draft, reporting every problem at once.
    public static func build(_ draft: FormDraft, code: String, version: Int, agencyID: UUID, programs: [Program]) throws
        -> InstrumentDefinition
    {
        var v = Validator()
        let title = v.text("title", draft.title, required: true, max: 200)
        let purpose = v.choice("purpose", draft.purpose, as: InstrumentPurpose.self)
        for id in draft.programIDs where !programs.contains(where: { $0.id == id && $0.agencyID == agencyID }) {
            v.add("programIDs", "is not a program of your agency")
        }
        var items: [InstrumentItem] = []
        var used = Set(draft.fields.compactMap(\.id))
        var next = 1
        func newID() -> String {
            while used.contains("q\(next)") { next += 1 }
            used.insert("q\(next)")
            return "q\(next)"
        }
        let present = draft.fields.enumerated().filter { !$0.element.isBlank }
        if present.isEmpty { v.add("fields", "add at least one field") }
        if present.count > 100 { v.add("fields", "can have at most 100 fields") }
        for (i, f) in present {
            let p = "fields.\(i)."
            let label = v.text(p + "label", f.label, required: true, max: 500)
            let kind = v.choice(p + "kind", f.kind, as: ItemKind.self)
            var options: [ResponseOption] = []
            switch kind {
            case .choice?, .multipleChoice?:
                options = parseOptions(p + "options", f.options, &v)
                if options.count < 2 && !v.errors.contains(where: { $0.field == p + "options" }) {
                    v.add(p + "options", "list at least two options, one per line")
                }
            case .yesNo?:
                options = [ResponseOption(value: 1, label: "Yes"), ResponseOption(value: 0, label: "No")]
            case .scale?:
                let lo = v.integer(p + "scaleMin", Int(f.scaleMin ?? ""), range: 0...100)
                let hi = v.integer(p + "scaleMax", Int(f.scaleMax ?? ""), range: 1...100)
                if let lo, let hi {
                    if lo >= hi {
                        v.add(p + "scaleMax", "must be greater than the lowest value")
                    } else if hi - lo > 20 {
                        v.add(p + "scaleMax", "a scale can have at most 21 points")
                    } else {
                        options = (lo...hi).map { ResponseOption(value: $0, label: String($0)) }
                    }
                }
            default: break
            }
            if let label, let kind {
                let id =
                    f.id.flatMap { $0.range(of: #"^q[0-9]{1,4}$"#, options: .regularExpression) != nil ? $0 : nil }
                    ?? newID()
                items.append(InstrumentItem(id: id, text: label, kind: kind, options: options, required: f.required))
            }
        }
        if Set(items.map(\.id)).count != items.count { v.add("fields", "two fields have the same id") }
        var bands: [SeverityBand] = []
        if draft.scored {
            if !items.isEmpty && !items.contains(where: { $0.kind.isScored }) {
                v.add("scored", "a scored form needs at least one choice, yes/no, scale or multiple-choice field")
            }
            bands = parseBands(draft.bands, &v)
        } else if !(draft.bands ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            v.add("bands", "bands apply only to a scored form")
        }
        try v.check()
        return InstrumentDefinition(
            code: code, version: version, title: title!, items: items, scoring: draft.scored ? .sum : .none,
            bands: bands, agencyID: agencyID, purpose: purpose!, programIDs: draft.programIDs)
    }

    static func parseOptions(_ field: String, _ text: String?, _ v: inout Validator) -> [ResponseOption] {
        var out: [ResponseOption] = []
        for (i, line) in v.lines(field, text, maxEach: 200, maxCount: 30).enumerated() {
            if let eq = line.lastIndex(of: "="),
                let value = Int(line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces))
            {
                let label = line[..<eq].trimmingCharacters(in: .whitespaces)
                guard !label.isEmpty, (-1000...1000).contains(value) else {
                    v.add(field, "each option needs a label, and a value between -1000 and 1000")
                    return []
                }
                out.append(ResponseOption(value: value, label: label))
            } else {
                out.append(ResponseOption(value: i, label: line))
            }
        }
        if Set(out.map(\.value)).count != out.count {
            v.add(field, "two options have the same value")
            return []
        }
        return out
    }

    static func parseBands(_ text: String?, _ v: inout Validator) -> [SeverityBand] {
        let lines = v.lines("bands", text, maxEach: 200, maxCount: 10)
        var out: [SeverityBand] = []
        for (i, line) in lines.enumerated() {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            let range = parts.first?.split(separator: "-").compactMap { Int($0) } ?? []
            guard parts.count == 2, range.count == 2, range[0] <= range[1] else {
                v.add("bands", "write each band as \"lowest-highest Label\", for example \"0-4 Low\"")
                return []
            }
            let severity = Severity.allCases[Swift.min(i, Severity.allCases.count - 1)]
            out.append(SeverityBand(range[0], range[1], parts[1], severity))
        }
        let sorted = out.sorted { $0.min < $1.min }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.min <= a.max {
            v.add("bands", "bands must not overlap")
            return []
        }
        return sorted
    }
}

/// Agency forms: built and changed by an agency admin; every change is a new version.
public struct FormService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    /// The newest version of each of the agency's forms.
    public func forms(by actor: ActingUser) async throws -> [InstrumentDefinition] {
        try await Self.latest(store.agencyInstruments(agencyID: actor.agencyID))
    }

    static func latest(_ all: [InstrumentDefinition]) -> [InstrumentDefinition] {
        Dictionary(grouping: all, by: \.code).values.compactMap { $0.max { $0.version < $1.version } }.sorted {
            $0.title < $1.title
        }
    }

    public func form(code: String, by actor: ActingUser) async throws -> InstrumentDefinition {
        guard
            let d = try await store.agencyInstruments(agencyID: actor.agencyID).filter({ $0.code == code }).max(by: {
                $0.version < $1.version
            })
        else {
            throw TrellisError.notFound("form")
        }
        return d
    }

    /// Creates a form (no `code`) or saves a new version of one. `expectedVersion` guards against
    /// two admins changing one form at once.
    public func save(code: String?, _ draft: FormDraft, expectedVersion: Int?, by actor: ActingUser) async throws
        -> InstrumentDefinition
    {
        try Policy.require(actor, .manageForms)
        var version = 1
        var formCode = "form-" + String(deps.newID().uuidString.lowercased().prefix(8))
        if let code {
            let current = try await form(code: code, by: actor)
            guard expectedVersion == current.version else {
                throw TrellisError.conflict(
                    "Someone saved a newer version of this form (version \(current.version)). Reload it and make your changes again."
                )
            }
            version = current.version + 1
            formCode = code
        }
        let def = try FormBuilder.build(
            draft, code: formCode, version: version, agencyID: actor.agencyID,
            programs: try await store.programs(agencyID: actor.agencyID))
        let id = deps.newID()
        try await store.transaction { tx in
            try await tx.insertInstrument(def, id: id, createdBy: actor.id, at: deps.now())
            try await tx.appendAudit([deps.audit(actor, .formSave, "instrument", id, clientID: nil)])
        }
        return def
    }
}
