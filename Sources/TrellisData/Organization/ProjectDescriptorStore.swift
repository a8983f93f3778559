import Fluent
import Foundation
import SQLKit
import TrellisCore

extension SQLStore {
    // MARK: Project descriptors

    public func projectDescriptor(programID: UUID) async throws -> (ProjectDescriptor?, Int) {
        guard
            let row = try await sql.select().column("hud").column("hud_version").from("programs")
                .where("id", .equal, programID).first()
        else { return (nil, 0) }
        let text = try row.decode(column: "hud", as: String?.self)
        let d = try text.map { try JSONDecoder().decode(ProjectDescriptor.self, from: Data($0.utf8)) }
        return (d, try row.decode(column: "hud_version", as: Int.self))
    }

    public func setProjectDescriptor(programID: UUID, _ d: ProjectDescriptor, expectedVersion: Int) async throws
        -> Bool
    {
        try await !sql.update("programs").set("hud", to: JSONText.encode(d))
            .set("hud_version", to: SQLRaw("hud_version + 1")).where("id", .equal, programID)
            .where("hud_version", .equal, expectedVersion).returning("id").all().isEmpty
    }
}
