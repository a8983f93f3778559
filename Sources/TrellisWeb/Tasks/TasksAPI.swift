import Foundation
import TrellisCore
import Vapor

/// A page of tasks: those that match, `total` on every page.
struct TaskListPage: Encodable {
    var items: [CaseTask]
    var total: Int
    var limit: Int
    var offset: Int
}

struct SnoozeBody: Decodable { var until: String? }

enum TasksAPI: APIHandlers {
    // Tasks
    static func myTasks(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let q = try TaskQuery.parse(
            status: try queryValue(req, "status"), client: try queryValue(req, "client"),
            from: try queryValue(req, "from"), to: try queryValue(req, "to"), limit: try intQuery(req, "limit") ?? 100,
            offset: try intQuery(req, "offset") ?? 0, today: req.deps.today)
        let listing = try await req.tasks.list(for: actor.id, q, by: actor)
        return try json(
            TaskListPage(items: listing.rows.map(\.task), total: listing.total, limit: q.limit, offset: q.offset))
    }

    static func task(_ req: Request) async throws -> Response {
        let t = try await req.tasks.row(try req.uuid("taskID"), by: try req.actor()).task
        return try json(t, etag: t.version)
    }

    static func createTask(_ req: Request) async throws -> Response {
        let t = try await req.tasks.create(try body(req, TaskInput.self), by: try req.actor())
        return try json(t, status: .created, etag: t.version, location: path("tasks", t.id))
    }

    static func updateTask(_ req: Request) async throws -> Response {
        let t = try await req.tasks.update(
            try req.uuid("taskID"), try body(req, TaskInput.self), expectedVersion: ifMatchVersion(req),
            by: try req.actor())
        return try json(t, etag: t.version)
    }

    static func snoozeTask(_ req: Request) async throws -> Response {
        let t = try await req.tasks.snooze(
            try req.uuid("taskID"), until: try body(req, SnoozeBody.self).until, expectedVersion: ifMatchVersion(req),
            by: try req.actor())
        return try json(t, etag: t.version)
    }

    static func setTaskStatus(_ req: Request) async throws -> Response {
        let t = try await req.tasks.setStatus(
            try req.uuid("taskID"), try body(req, StatusBody.self).status, expectedVersion: ifMatchVersion(req),
            by: try req.actor())
        return try json(t, etag: t.version)
    }
}
