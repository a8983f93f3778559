import Foundation
import TrellisCore
import Vapor

enum TasksAPI: APIHandlers {
    // Tasks
    static func myTasks(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        return try json(Items(items: try await req.tasks.open(for: actor.id, by: actor)))
    }

    static func createTask(_ req: Request) async throws -> Response {
        let t = try await req.tasks.create(try body(req, TaskInput.self), by: try req.actor())
        return try json(t, status: .created, etag: t.version)
    }

    static func setTaskStatus(_ req: Request) async throws -> Response {
        let t = try await req.tasks.setStatus(
            try req.uuid("taskID"), try body(req, StatusBody.self).status, expectedVersion: ifMatchVersion(req),
            by: try req.actor())
        return try json(t, etag: t.version)
    }
}
