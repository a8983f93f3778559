import Fluent
import SQLKit
import TrellisCore

/// Migrations in the order they ship. Never edit one after release: add a new one.
public enum TrellisMigrations {
    public static let all: [any Migration] = [
        M001_Organization(), M002_Clients(), M003_Cases(), M004_Notes(), M005_Audit(), M006_Auth(),
        M007_OneOpenCasePerProgram(), M008_Assessments(), M009_PlansAndForms(), M010_Coordination(), M011_Supervision(),
        M012_AlertsByCase(),
        M013_RankedNameSearch(), M014_ReportIndexes(), M015_VisitOnCase(), M016_NameBeginsSearch(),
        M017_AddendaAreNotContacts(), M018_OneNeedVocabulary(), M019_AccountLifecycle(), M020_AuditByAgency(),
        M021_Letterhead(), M022_NeedToKnow(), M023_Releases(), M024_ClientAlias(),
        M025_AuditOwnFile(), M026_AddendaIndex(), M027_AuditChain(), M028_AccountLifecycle(), M029_SignInAddress(),
        M030_SealedFields(), M031_SecondFactor(), M032_Retention(), M033_Households(), M034_ProjectDescriptors()
    ]
}

extension Database {
    var sql: any SQLDatabase { self as! any SQLDatabase }
    var isSQLite: Bool { sql.dialect.name == "sqlite" }
}

extension SQLDatabase {
    /// Runs a migration's statements in order. (Migrations released before this helper keep their own loops:
    /// they are not edited after release.)
    func runSteps(_ steps: [String]) async throws {
        for step in steps { try await raw(SQLQueryString(step)).run() }
    }
}
