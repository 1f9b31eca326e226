import Foundation
import NIOSSL
import PostgresNIO
import PromptctlCore

/// How a connection negotiates TLS: libpq's `sslmode` names.
public enum PostgresTLSMode: String, Sendable, CaseIterable {
    /// No TLS.
    case disable
    /// libpq tries without TLS first, then with it; postgres-nio cannot, so this mode is refused.
    case allow
    /// TLS if the server offers it, without verifying its certificate (libpq's default).
    case prefer
    /// TLS or nothing, without verifying the certificate.
    case require
    /// TLS, and the certificate must chain to a trusted root (the host name is not checked).
    case verifyCA = "verify-ca"
    /// TLS, a trusted certificate, and its name must match the host.
    case verifyFull = "verify-full"
}

/// A PostgreSQL location parsed from a `postgres://` or `postgresql://` URL, with the password resolved.
public struct PostgresLocation: Sendable, Equatable {
    /// The server's host name or address.
    public var host: String
    /// The server's port.
    public var port: Int
    /// The role to log in as.
    public var user: String
    /// The password: from the URL, else `password_env`'s variable, else `PGPASSWORD`.
    public var password: String?
    /// The database's name.
    public var database: String
    /// The TLS mode.
    public var tlsMode: PostgresTLSMode
    /// A PEM file of trusted roots (`sslrootcert`), for verify-ca and verify-full.
    public var rootCertificate: String?
    /// Seconds to wait for a connection (`connect_timeout`).
    public var connectTimeout: Int

    /// Whether a store location names a PostgreSQL server rather than a SQLite file.
    public static func isPostgresURL(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// Parses a URL; `passwordEnvironment` names the variable that holds the password when the URL has none.
    public init(
        url text: String, passwordEnvironment: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        guard Self.isPostgresURL(text), let components = URLComponents(string: text) else {
            throw PromptctlError(
                .usage, "not a PostgreSQL URL: \(Self.redacted(text))",
                remedy: "write postgresql://USER@HOST:PORT/DATABASE?sslmode=prefer, or a SQLite file path")
        }
        guard let host = components.host, !host.isEmpty else {
            throw PromptctlError(
                .usage, "the PostgreSQL URL \(Self.redacted(text)) names no host",
                remedy: "write postgresql://USER@HOST:PORT/DATABASE")
        }
        self.host = host
        port = components.port ?? 5432
        user = components.user ?? environment["PGUSER"] ?? "postgres"
        let name = String(components.path.drop(while: { $0 == "/" }))
        database = name.isEmpty ? user : name
        if let fromURL = components.password {
            password = fromURL.removingPercentEncoding ?? fromURL
        } else if let passwordEnvironment {
            guard let value = environment[passwordEnvironment], !value.isEmpty else {
                throw PromptctlError(
                    .config, "store.password_env names \(passwordEnvironment), which is not set",
                    remedy: "export \(passwordEnvironment) with the database password")
            }
            password = value
        } else {
            password = environment["PGPASSWORD"]
        }
        tlsMode = .prefer
        rootCertificate = nil
        connectTimeout = 10
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let mode = PostgresTLSMode(rawValue: value) else {
                    throw PromptctlError(
                        .usage, "sslmode=\(value) is not one of libpq's modes",
                        remedy: "use sslmode=" + PostgresTLSMode.allCases.map(\.rawValue).joined(separator: ", "))
                }
                guard mode != .allow else {
                    throw PromptctlError(
                        .usage, "sslmode=allow is not supported (the driver cannot fall back from plain to TLS)",
                        remedy: "use sslmode=prefer, which tries TLS first and falls back to a plain connection")
                }
                tlsMode = mode
            case "sslrootcert": rootCertificate = value
            case "connect_timeout":
                guard let seconds = Int(value), seconds > 0 else {
                    throw PromptctlError(.usage, "connect_timeout=\(value) is not a positive number of seconds")
                }
                connectTimeout = seconds
            case "application_name": break
            default:
                throw PromptctlError(
                    .usage, "unknown PostgreSQL URL parameter \(item.name)",
                    remedy: "promptctl reads sslmode, sslrootcert, connect_timeout and application_name")
            }
        }
    }

    /// The URL with its password removed, for messages and reports.
    public var displayLocation: String {
        "postgresql://\(user)@\(host):\(port)/\(database)?sslmode=\(tlsMode.rawValue)"
    }

    /// Any text with the password of a URL in it replaced by `***`.
    public static func redacted(_ text: String) -> String {
        text.replacing(/:\/\/([^:@\/]*):[^@\/]*@/) { match in "://\(match.1):***@" }
    }

    /// The driver's configuration.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch tlsMode {
            case .disable, .allow: tls = .disable
            case .prefer, .require:
                var settings = TLSConfiguration.makeClientConfiguration()
                settings.certificateVerification = .none
                let context = try NIOSSLContext(configuration: settings)
                tls = tlsMode == .prefer ? .prefer(context) : .require(context)
            case .verifyCA, .verifyFull:
                var settings = TLSConfiguration.makeClientConfiguration()
                settings.certificateVerification = tlsMode == .verifyCA ? .noHostnameVerification : .fullVerification
                if let rootCertificate { settings.trustRoots = .file(rootCertificate) }
                tls = .require(try NIOSSLContext(configuration: settings))
            }
        } catch {
            let file = rootCertificate.map { " with sslrootcert=\($0)" } ?? ""
            throw PromptctlError(
                .usage, "cannot set up TLS for sslmode=\(tlsMode.rawValue)\(file)",
                remedy: "check sslrootcert names a readable PEM file", cause: error)
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = .seconds(Int64(connectTimeout))
        return configuration
    }
}
