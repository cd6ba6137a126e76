import BenchServing
import Hummingbird

/// `bench-server-floor [PORT]`: the framework's floor. A bare Hummingbird 2 application with one
/// route, `GET /jobs/{id}`, answering a constant JSON body of the same shape as the mock
/// server's pending status (`{"id":"j1","status":"pending"}`), built with the same compiler
/// flags and dependency versions as `bench-server`. Prints `listening on http://127.0.0.1:PORT`
/// once bound and runs until SIGINT or SIGTERM. Listen backlog 4096, as `bench-server`.
@main
struct ServerFloor {
    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst()
        let port = arguments.first.flatMap(Int.init) ?? 0
        let router = Router()
        let body = ByteBuffer(string: #"{"id":"j1","status":"pending"}"#)
        router.get("/jobs/:id") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: body))
        }
        try await BenchServing.serve(router, name: "bench-server-floor", port: port, backlog: 4096)
    }
}
