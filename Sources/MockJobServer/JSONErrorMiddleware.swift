import Foundation
import Hummingbird
import PollingCore

/// Renders every error that escapes a route as a JSON `ErrorResponse`: `MockJobServerError`s
/// with their own status and code, Hummingbird's `HTTPError`s (unknown route → 404
/// `route_not_found`) with theirs, anything else as 500 `internal` (a bug, never bad input).
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as MockJobServerError {
            return JSONResponse.make(status: error.status, headers: error.headers, body: error.errorResponse)
        } catch let error as HTTPError {
            if error.status == .notFound {
                let mapped = MockJobServerError.routeNotFound(request.method.rawValue, request.uri.path)
                return JSONResponse.make(status: mapped.status, body: mapped.errorResponse)
            }
            let code = error.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
            return JSONResponse.make(status: error.status,
                                     body: ErrorResponse(code: code, message: error.body ?? error.status.reasonPhrase))
        } catch let error as any HTTPResponseError {
            return try error.response(from: request, context: context)
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)"])
            return JSONResponse.make(status: .internalServerError,
                                     body: ErrorResponse(code: "internal", message: "internal server error: \(error)"))
        }
    }
}
