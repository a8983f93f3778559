import Foundation
import TrellisCore
import TrellisData
import Vapor

extension Request {
    var runtime: TrellisRuntime { application.trellis }

    var store: SQLStore { SQLStore(database: db) }

    var deps: Dependencies { application.trellis.deps }

    var clients: ClientService { ClientService(store: store, deps: deps) }
    var households: HouseholdService { HouseholdService(store: store, deps: deps) }

    var cases: CaseService { CaseService(store: store, deps: deps) }

    var notes: NoteService { NoteService(store: store, deps: deps) }

    var caseloads: CaseloadService { CaseloadService(store: store, deps: deps) }

    var assessments: AssessmentService { AssessmentService(store: store, deps: deps) }

    var plans: PlanService { PlanService(store: store, deps: deps) }

    var forms: FormService { FormService(store: store, deps: deps) }

    var organization: OrganizationService { OrganizationService(store: store, deps: deps, hasher: runtime.hasher) }

    var audit: AuditService { AuditService(store: store, deps: deps) }

    var account: AccountService { AccountService(store: store, deps: deps) }

    var access: AccessService { AccessService(store: store, deps: deps) }

    var releases: ReleaseService { ReleaseService(store: store, deps: deps) }

    var shared: SharedRecordService { SharedRecordService(store: store, deps: deps) }

    var accounting: AccountingService { AccountingService(store: store, deps: deps) }

    var directory: ResourceDirectory { ResourceDirectory(store: store, deps: deps) }

    var referrals: ReferralService { ReferralService(store: store, deps: deps) }

    var serviceRecords: ServiceRecordService { ServiceRecordService(store: store, deps: deps) }

    var tasks: TaskService { TaskService(store: store, deps: deps) }

    var advocacy: AdvocacyService { AdvocacyService(store: store, deps: deps) }

    var letters: LetterService { LetterService(store: store, deps: deps) }

    var documents: DocumentService { DocumentService(store: store, deps: deps) }

    var closures: ClosureService { ClosureService(store: store, deps: deps) }

    var reports: ReportService { ReportService(store: store, deps: deps) }
    var hsdsImporter: HSDSImporter { HSDSImporter(store: store, deps: deps) }

    var today: TodayService { TodayService(store: store, deps: deps) }

    var workload: WorkloadService { WorkloadService(store: store, deps: deps) }

    var reviews: ReviewService { ReviewService(store: store, deps: deps) }

    var outcomes: OutcomeService { OutcomeService(store: store, deps: deps) }
}
