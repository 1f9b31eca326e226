import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import PromptctlCore
import Synchronization

/// A small pool of PostgreSQL connections with blocking calls, like the SQLite store's: the store's protocols are
/// synchronous, and waiting on a SwiftNIO future (completed on the driver's own event loop) never needs a thread of
/// Swift's cooperative pool, so a caller inside a task cannot deadlock it.
final class PostgresSession: Sendable {
    let location: PostgresLocation
    private let configuration: PostgresConnection.Configuration
    private let group: MultiThreadedEventLoopGroup
    private let idle = Mutex<[PostgresConnection]>([])
    private let nextID = Mutex(0)
    private let logger: Logger

    init(location: PostgresLocation) throws {
        self.location = location
        configuration = try location.connectionConfiguration()
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var logger = Logger(label: "promptctl.postgres")
        logger.logLevel = .critical
        self.logger = logger
    }

    deinit {
        let connections = idle.withLock { connections in
            defer { connections = [] }
            return connections
        }
        for connection in connections { _ = try? Self.wait(connection.close()) }
        try? group.syncShutdownGracefully()
    }

    /// Closes the idle connections now.
    func close() {
        let connections = idle.withLock { connections in
            defer { connections = [] }
            return connections
        }
        for connection in connections { _ = try? Self.wait(connection.close()) }
    }

    private func checkOut() throws -> PostgresConnection {
        while let connection = idle.withLock({ $0.popLast() }) {
            if !connection.isClosed { return connection }
        }
        let id = nextID.withLock { value in
            value += 1
            return value
        }
        do {
            return try Self.wait(
                PostgresConnection.connect(on: group.next(), configuration: configuration, id: id, logger: logger))
        } catch {
            throw describe(error)
        }
    }

    private func checkIn(_ connection: PostgresConnection) {
        guard !connection.isClosed else { return }
        idle.withLock { connections in
            if connections.count < 16 {
                connections.append(connection)
            } else {
                _ = try? Self.wait(connection.close())
            }
        }
    }

    /// Runs `body` on one connection of the pool. A connection that failed under it, or whose session the server
    /// ended, is closed rather than kept: the next statement must not meet it (the driver may not have noticed yet).
    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try checkOut()
        do {
            let result = try body(connection)
            checkIn(connection)
            return result
        } catch {
            if let failure = DriverFailure(error), failure.connectionLost || failure.isRestarting {
                _ = try? Self.wait(connection.close())
            } else {
                checkIn(connection)
            }
            throw error
        }
    }

    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws. A serialization failure
    /// or deadlock (another writer's transaction) is retried a few times, as waiting for a lock is in SQLite.
    func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try withConnection { connection in
                    _ = try Self.run(connection, "BEGIN")
                    do {
                        let result = try body(connection)
                        _ = try Self.run(connection, "COMMIT")
                        return result
                    } catch {
                        _ = try? Self.run(connection, "ROLLBACK")
                        throw error
                    }
                }
            } catch  where attempt < 5 && DriverFailure(error)?.isConflict == true {
                Thread.sleep(forTimeInterval: 0.02 * Double(attempt))
            } catch  where DriverFailure(error) != nil {
                throw describe(error)
            }
        }
    }

    /// Runs several statements on one connection, outside an explicit transaction; a driver error comes out as a
    /// promptctl error naming the cause and the remedy, as from `query`.
    func reading<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        do {
            return try withConnection(body)
        } catch  where DriverFailure(error) != nil {
            throw describe(error)
        }
    }

    /// Runs a statement outside an explicit transaction; returns its rows.
    @discardableResult
    func query(_ sql: String, _ binds: [PostgresData] = []) throws -> [PostgresRandomAccessRow] {
        do {
            return try withConnection { try Self.run($0, sql, binds) }
        } catch  where DriverFailure(error) != nil {
            throw describe(error)
        }
    }

    /// Runs a statement on a given connection (inside a transaction); returns its rows.
    @discardableResult
    static func run(_ connection: PostgresConnection, _ sql: String, _ binds: [PostgresData] = []) throws
        -> [PostgresRandomAccessRow]
    {
        try wait(connection.query(sql, binds)).rows.map { $0.makeRandomAccess() }
    }

    /// Runs a statement on a given connection; returns how many rows it changed.
    static func changes(_ connection: PostgresConnection, _ sql: String, _ binds: [PostgresData] = []) throws -> Int {
        try wait(connection.query(sql, binds)).metadata.rows ?? 0
    }

    /// The longest the session waits for one answer of the server before it gives the connection up.
    static let answerTimeout: Int64 = 120

    /// Waits for the driver's answer, at most `answerTimeout` seconds. The driver fails what is pending when a
    /// connection closes, but a connection left half-open by a server restart may never answer: without a deadline
    /// a run would hang there instead of reconnecting (seen once, in the restart test, as a call log that never
    /// flushed). The timeout counts as a lost connection, which closes it and lets the caller's retry reconnect.
    static func wait<Value: Sendable>(_ future: EventLoopFuture<Value>) throws -> Value {
        let promise = future.eventLoop.makePromise(of: Value.self)
        future.cascade(to: promise)
        let deadline = future.eventLoop.scheduleTask(in: .seconds(answerTimeout)) {
            promise.fail(AnswerTimeout(seconds: answerTimeout))
        }
        defer { deadline.cancel() }
        return try promise.futureResult.wait()
    }

    /// Whether a driver error is one waiting cures: a serialization failure or deadlock, a server shutting down or
    /// restarting, or a connection that failed or was closed.
    static func isTransient(_ error: any Error) -> Bool {
        guard let failure = DriverFailure(error) else { return false }
        return failure.isConflict || failure.isRestarting || failure.connectionLost
    }

    /// The start of the messages `describe` gives a server that cannot be reached or is restarting.
    static let unreachable = "cannot reach the PostgreSQL server at "
    static let restarting = " is shutting down or restarting"

    /// Whether a described error says the server is unreachable or restarting (waiting may cure it).
    static func isUnavailable(_ error: PromptctlError) -> Bool {
        guard error.code == .infrastructure else { return false }
        return error.message.hasPrefix(unreachable)
            || (error.message.hasPrefix("the PostgreSQL server at ") && error.message.hasSuffix(restarting))
    }

    /// A driver error as a promptctl error naming the cause and the remedy (exit 3).
    func describe(_ error: any Error) -> PromptctlError {
        if let error = error as? PromptctlError { return error }
        let place = location.displayLocation
        if let failure = DriverFailure(error) {
            let message = failure.message
            switch failure.sqlState ?? "" {
            case "28000" where message.contains("no encryption"):
                return PromptctlError(
                    .infrastructure, "the PostgreSQL server at \(place) accepts only encrypted connections",
                    remedy:
                        "use sslmode=verify-full with sslrootcert=PATH of its certificate authority, or sslmode=require",
                    cause: ServerMessage(text: message))
            case "28P01", "28000":
                return PromptctlError(
                    .infrastructure, "PostgreSQL refused the credentials of \(location.user) at \(place)",
                    remedy: "check the user and the password (in the URL, the store's password_env, or PGPASSWORD)",
                    cause: ServerMessage(text: message))
            case "3D000":
                return PromptctlError(
                    .infrastructure, "the database \(location.database) does not exist on \(place)",
                    remedy: "create it (createdb \(location.database)), then run promptctl store migrate",
                    cause: ServerMessage(text: message))
            case "57P01", "57P02", "57P03":
                return PromptctlError(
                    .infrastructure, "the PostgreSQL server at \(place)" + Self.restarting,
                    remedy: "wait for it to come back, then run the command again (eval --resume continues a run)",
                    cause: ServerMessage(text: message))
            case "":
                break
            case let state:
                return PromptctlError(
                    .infrastructure, "PostgreSQL at \(place) failed: \(message) (SQLSTATE \(state))",
                    remedy: "run promptctl store migrate if the schema is missing; otherwise see the server's log",
                    cause: ServerMessage(text: message))
            }
            if let certificateProblem = failure.certificateProblem {
                let remedy =
                    location.tlsMode == .verifyFull
                    ? "connect by a name the certificate carries, and give sslrootcert=PATH of the authority that "
                        + "signed it (or sslmode=verify-ca, which does not check the name)"
                    : "give sslrootcert=PATH of the certificate authority that signed the server's certificate"
                return PromptctlError(
                    .infrastructure,
                    "the certificate of the PostgreSQL server at \(place) was not accepted (\(certificateProblem))",
                    remedy: remedy, cause: ServerMessage(text: message))
            }
            if failure.connectionLost {
                return PromptctlError(
                    .infrastructure, Self.unreachable + "\(location.host):\(location.port)",
                    remedy:
                        "start the server or correct the host and port in --db, PROMPTCTL_DB or promptctl.yaml's store; "
                        + "a run interrupted this way continues with eval --resume",
                    cause: ServerMessage(text: message))
            }
            if failure.tlsUnsupported {
                return PromptctlError(
                    .infrastructure, "the PostgreSQL server at \(place) does not offer TLS",
                    remedy: "enable ssl on the server, or use sslmode=prefer or sslmode=disable")
            }
            return PromptctlError(
                .infrastructure, "PostgreSQL at \(place) failed (\(message))",
                remedy: "check the server is reachable and its log", cause: ServerMessage(text: message))
        }
        return PromptctlError(
            .infrastructure, Self.unreachable + "\(location.host):\(location.port)",
            remedy: "start the server or correct the host and port in --db, PROMPTCTL_DB or promptctl.yaml's store",
            cause: error)
    }
}

/// The server did not answer within the session's deadline.
struct AnswerTimeout: Error, CustomStringConvertible {
    var seconds: Int64
    var description: String { "no answer from the server within \(seconds) s" }
}

/// What the driver reported, from either of its error types: the connection API throws `PSQLError`, the query API
/// the older `PostgresError` (a server error, a closed connection), and a broken socket may surface as SwiftNIO's
/// own error. Nil for any other error (a promptctl error, an encoding error), which passes through unchanged.
struct DriverFailure {
    /// The server's SQLSTATE, for a server error.
    var sqlState: String?
    /// The server's message, or what the driver says.
    var message: String
    /// Whether the connection failed or was closed under the statement.
    var connectionLost = false
    /// Whether TLS was asked for and the server does not offer it.
    var tlsUnsupported = false
    /// Why the server's certificate was refused, when the TLS handshake failed on it (not a passing outage).
    var certificateProblem: String?

    init?(_ error: any Error) {
        switch error {
        case let error as PSQLError:
            sqlState = error.serverInfo?[.sqlState]
            message = error.serverInfo?[.message] ?? error.underlying.map { "\($0)" } ?? "\(error.code)"
            switch error.code {
            case .connectionError, .serverClosedConnection, .uncleanShutdown, .connectionClosed: connectionLost = true
            case .sslUnsupported: tlsUnsupported = true
            default: break
            }
            if let underlying = error.underlying, let problem = Self.certificateProblem(underlying) {
                certificateProblem = problem
                connectionLost = false
            }
        case let error as PostgresError:
            switch error {
            case .server(let server):
                sqlState = server.fields[.sqlState]
                message = server.fields[.message] ?? server.description
            case .connectionClosed:
                message = "connection closed"
                connectionLost = true
            case .protocol(let text):
                message = text
                connectionLost = text == "Unexpected connection close"
                tlsUnsupported = text == "Server does not support TLS"
            }
        case let error as AnswerTimeout:
            message = error.description
            connectionLost = true
        case let error where Self.certificateProblem(error) != nil:
            message = "\(error)"
            certificateProblem = Self.certificateProblem(error)
        case is ChannelError, is IOError:
            message = "\(error)"
            connectionLost = true
        default:
            return nil
        }
    }

    /// What a TLS handshake error says about the server's certificate, in words; nil for any other error.
    static func certificateProblem(_ error: any Error) -> String? {
        switch error {
        case let error as NIOSSLExtraError where error == .failedToValidateHostname:
            return "it does not carry the host name"
        case let error as NIOSSLError:
            guard case .handshakeFailed(let reason) = error else { return nil }
            let text = "\(reason)"
            if text.contains("CERTIFICATE_VERIFY_FAILED") { return "it is not signed by a trusted authority" }
            return "the TLS handshake failed: \(text)"
        default:
            return nil
        }
    }

    /// A serialization failure or deadlock: another writer's transaction, which trying again cures.
    var isConflict: Bool { sqlState == "40001" || sqlState == "40P01" }
    /// The server is shutting down, restarting or not yet accepting connections.
    var isRestarting: Bool { ["57P01", "57P02", "57P03"].contains(sqlState ?? "") }
}

/// A server message carried as an error's cause.
struct ServerMessage: Error, CustomStringConvertible {
    var text: String
    var description: String { text }
}

/// Binds of SQL parameters, typed (a typed NULL keeps PostgreSQL's parameter inference happy).
enum Bind {
    static func text(_ value: String?) -> PostgresData {
        value.map { PostgresData(string: $0) } ?? PostgresData(type: .text)
    }
    static func int(_ value: Int?) -> PostgresData {
        value.map { PostgresData(int64: Int64($0)) } ?? PostgresData(type: .int8)
    }
    static func int64(_ value: Int64) -> PostgresData { PostgresData(int64: value) }
    static func double(_ value: Double?) -> PostgresData {
        value.map { PostgresData(double: $0) } ?? PostgresData(type: .float8)
    }
    static func bool(_ value: Bool) -> PostgresData { PostgresData(bool: value) }
    static func bytes(_ value: Data?) -> PostgresData {
        value.map { PostgresData(bytes: $0) } ?? PostgresData(type: .bytea)
    }
    /// A date, to the millisecond as the SQLite store keeps it.
    static func date(_ value: Date?) -> PostgresData {
        guard let value else { return PostgresData(type: .timestamptz) }
        // Ten microseconds of slack: a date read back as x.123 may be x.12299… in binary (a Double holds about
        // 0.2 µs at today's epoch), and must stay x.123.
        let milliseconds = (value.timeIntervalSince1970 * 1000 + 0.01).rounded(.down)
        return PostgresData(date: Date(timeIntervalSince1970: milliseconds / 1000))
    }
}

extension PostgresRandomAccessRow {
    func string(_ column: String) -> String? { self[data: column].string }
    func int(_ column: String) -> Int? { self[data: column].int }
    func double(_ column: String) -> Double? { self[data: column].double }
    func bool(_ column: String) -> Bool? { self[data: column].bool }
    func data(_ column: String) -> Data? { self[data: column].bytes.map { Data($0) } }
    func date(_ column: String) -> Date? { self[data: column].date.map(wholeMilliseconds) }
}

/// A date read from the server, snapped to the millisecond it was stored at (the driver's microsecond arithmetic
/// in Double leaves it a fraction of a microsecond off).
func wholeMilliseconds(_ date: Date) -> Date {
    Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
}
