import ArgumentParser
import Foundation
import Hummingbird
import ZoneCastSQLite
import ZoneCastWeb

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the web application (127.0.0.1:8080 by default). TLS belongs to a reverse proxy in front; use --secure-cookies behind it.",
        discussion: "Example: zonecast serve --db kc.sqlite --port 8080")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Address to listen on (keep the loopback default unless a reverse proxy needs another).") var host = "127.0.0.1"
    @Option(help: "Port.") var port = 8080
    @Flag(help: "Mark cookies Secure (when served over HTTPS by a reverse proxy).") var secureCookies = false

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be 1-65535") }
    }

    func run() async throws {
        let store: SQLiteIncidentStore
        do { store = try SQLiteIncidentStore(path: database.path) } catch {
            FileHandle.standardError.write(Data("zonecast: error: \(error)\n".utf8))
            throw CLIFailure.exitCode(for: error)
        }
        print("ZoneCast serving \(database.path) on http://\(host):\(port) (sign in with an account from zonecast users add)")
        try await buildApplication(WebEnvironment(store: store, configuration: WebConfiguration(host: host, port: port, secureCookies: secureCookies))).runService()
    }
}
