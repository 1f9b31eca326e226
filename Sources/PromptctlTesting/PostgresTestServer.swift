import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A throwaway PostgreSQL cluster on 127.0.0.1, for the store tests: `initdb` and `pg_ctl` in a temporary folder,
/// a free loopback port, password authentication, stopped and deleted when the test process exits.
///
/// PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` system user (Debian's
/// package creates it) and its programs run through `runuser`.
public final class PostgresTestServer: Sendable {
    /// The port it listens on.
    public let port: Int
    /// The superuser's name.
    public let user = "promptctl"
    /// The superuser's password (random for each cluster).
    public let password: String
    /// The cluster's folder.
    public let directory: String
    private let binDirectory: String
    private let runAs: String?
    private let databaseCounter = Mutex(0)

    /// The one cluster of this test process, started on first use (with `tls`, the one TLS-only cluster).
    public static func shared(tls: Bool = false) throws -> PostgresTestServer {
        try sharedPostgresClusters.withLock { clusters in
            if let server = clusters[tls]?.server { return server }
            if let failure = clusters[tls]?.failure { throw failure }
            do {
                let server = try PostgresTestServer.start(tls: tls)
                // Swift Testing ends the process with exit(): stop the clusters then.
                if clusters.isEmpty { atexit(stopSharedPostgres) }
                clusters[tls] = SharedPostgresState(server: server)
                return server
            } catch {
                clusters[tls] = SharedPostgresState(failure: error)
                throw error
            }
        }
    }

    /// Where PostgreSQL's server programs are: `PROMPTCTL_PG_BIN`, Debian's folder, or PATH.
    static func findBinDirectory() -> String? {
        var candidates: [String] = []
        if let fromEnvironment = ProcessInfo.processInfo.environment["PROMPTCTL_PG_BIN"] {
            candidates.append(fromEnvironment)
        }
        for version in ["17", "16", "15", "14"] { candidates.append("/usr/lib/postgresql/\(version)/bin") }
        candidates += (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }
    }

    /// Starts a new cluster: initdb, then pg_ctl start on a free loopback port (waits until it accepts).
    ///
    /// With `tls`, the cluster has a certificate authority of its own (`ca.pem` in its folder) that signed a server
    /// certificate for the name `localhost` only, and it refuses every connection that is not encrypted.
    public static func start(tls: Bool = false) throws -> PostgresTestServer {
        guard let bin = findBinDirectory() else {
            throw TestServerError(
                "PostgreSQL's initdb was not found (run scripts/setup.sh --test, which installs postgresql-15)")
        }
        let runAs: String? = geteuid() == 0 ? "postgres" : nil
        let directory = "/tmp/promptctl-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        let password = (0..<24).map { _ in "abcdefghijkmnpqrstuvwxyz23456789".randomElement()! }.map(String.init)
            .joined()
        let passwordFile = directory + "/password"
        try password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
        if let runAs {
            guard let account = getpwnam(runAs) else {
                throw TestServerError("the system user \(runAs) does not exist (install postgresql-15)")
            }
            guard chown(directory, account.pointee.pw_uid, account.pointee.pw_gid) == 0,
                chown(passwordFile, account.pointee.pw_uid, account.pointee.pw_gid) == 0
            else { throw TestServerError("cannot give \(directory) to \(runAs)") }
        }
        let server = PostgresTestServer(
            port: try freeLoopbackPort(), password: password, directory: directory, binDirectory: bin, runAs: runAs,
            tls: tls)
        try server.run(
            "initdb",
            [
                "-D", directory + "/data", "-U", server.user, "--pwfile=" + passwordFile, "-A", "scram-sha-256",
                "-E", "UTF8", "--locale=C", "--no-sync",
            ])
        if tls { try server.makeCertificates() }
        try server.run("pg_ctl", server.startArguments)
        return server
    }

    private init(
        port: Int, password: String, directory: String, binDirectory: String, runAs: String?, tls: Bool
    ) {
        self.port = port
        self.password = password
        self.directory = directory
        self.binDirectory = binDirectory
        self.runAs = runAs
        self.tls = tls
    }

    /// Whether the cluster speaks TLS only.
    public let tls: Bool

    /// The PEM file of the certificate authority that signed a TLS cluster's certificate.
    public var certificateAuthorityFile: String { directory + "/ca.pem" }

    /// pg_ctl's arguments to start this cluster.
    private var startArguments: [String] {
        var options = "-p \(port) -c listen_addresses=127.0.0.1 -k \(directory) -F -c max_connections=200"
        if tls {
            options += " -c ssl=on -c ssl_cert_file=\(directory)/server.pem -c ssl_key_file=\(directory)/server.key"
        }
        return ["-D", directory + "/data", "-l", directory + "/server.log", "-w", "-t", "60", "-o", options, "start"]
    }

    /// A certificate authority and a server certificate for `localhost` (openssl, as the cluster's owner so the
    /// server may read its key), and a pg_hba.conf whose first rule rejects every unencrypted TCP connection.
    private func makeCertificates() throws {
        let extensions = directory + "/server.ext"
        try "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n".write(
            toFile: extensions, atomically: true, encoding: .utf8)
        if let runAs, let account = getpwnam(runAs) {
            guard chown(extensions, account.pointee.pw_uid, account.pointee.pw_gid) == 0 else {
                throw TestServerError("cannot give \(extensions) to \(runAs)")
            }
        }
        let openssl = "/usr/bin/openssl"
        let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try runProgram(
            openssl,
            ["req", "-x509"] + curve + [
                "-keyout", directory + "/ca.key", "-out", directory + "/ca.pem", "-days", "2",
                "-subj", "/CN=promptctl test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ])
        try runProgram(
            openssl,
            ["req"] + curve + [
                "-keyout", directory + "/server.key", "-out", directory + "/server.csr", "-subj", "/CN=localhost",
            ])
        try runProgram(
            openssl,
            [
                "x509", "-req", "-in", directory + "/server.csr", "-CA", directory + "/ca.pem",
                "-CAkey", directory + "/ca.key", "-CAcreateserial", "-out", directory + "/server.pem", "-days", "2",
                "-extfile", extensions,
            ])
        let rules = directory + "/data/pg_hba.conf"
        let existing = try String(contentsOfFile: rules, encoding: .utf8)
        try ("hostnossl all all 0.0.0.0/0 reject\nhostnossl all all ::/0 reject\n" + existing).write(
            toFile: rules, atomically: false, encoding: .utf8)
    }

    /// A new, empty database on this cluster; returns its URL (with the password).
    public func createDatabase(prefix: String = "t") throws -> String {
        let number = databaseCounter.withLock { value in
            value += 1
            return value
        }
        let name = "\(prefix)_\(getpid())_\(number)"
        try run("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", user, name])
        return url(database: name)
    }

    /// Runs SQL through `psql` on a database of this cluster, as another client would (tests use it to tamper).
    @discardableResult
    public func psql(database: String, _ sql: String) throws -> String {
        try run(
            "psql",
            [
                "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(port), "-U", user,
                "-d", database, "-c", sql,
            ])
    }

    /// `postgresql://USER:PASSWORD@127.0.0.1:PORT/DATABASE?sslmode=disable`.
    public func url(database: String, password: String? = nil) -> String {
        "postgresql://\(user):\(password ?? self.password)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// Stops the server (fast shutdown) and deletes its folder.
    public func stop() {
        _ = try? run("pg_ctl", ["-D", directory + "/data", "-m", "fast", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Stops the server without deleting anything (for a restart test).
    public func pause() throws {
        try run("pg_ctl", ["-D", directory + "/data", "-m", "fast", "-w", "stop"])
    }

    /// Starts a paused server again on the same port.
    public func resume() throws {
        try run("pg_ctl", startArguments)
    }

    /// Runs one of PostgreSQL's programs (as the cluster's owner) and waits; a failure throws with its output.
    ///
    /// posix_spawn and waitpid rather than Foundation's Process: the server that `pg_ctl start` leaves running
    /// inherits what Process uses to notice the end of its child, so Process would wait forever.
    @discardableResult
    func run(_ program: String, _ arguments: [String]) throws -> String {
        try runProgram(binDirectory + "/" + program, arguments)
    }

    /// Runs a program (as the cluster's owner) and waits; a failure throws with its output.
    @discardableResult
    private func runProgram(_ executable: String, _ arguments: [String]) throws -> String {
        let program = (executable as NSString).lastPathComponent
        let argv = runAs.map { ["/usr/sbin/runuser", "-u", $0, "--", executable] } ?? [executable]
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = password
        environment["LC_ALL"] = "C"
        let outputPath = directory + "/command-\(UUID().uuidString).out"
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of this process reaches the server: a descriptor it inherited (the build lock that
        // `flock ... swift test` holds, a test's pipe) would stay open as long as the server runs, and a test
        // process killed before its atexit handler leaves the server running with it.
        // glibc's closefrom action is not visible to Swift, so every descriptor number up to the process's limit
        // (at most 65,536) gets a close action; one not open is ignored. A listing of /proc/self/fd instead fails
        // now and then while other threads open and close descriptors, and then closed nothing.
        let limit = Int32(min(max(sysconf(Int32(_SC_OPEN_MAX)), 1024), 65_536))
        for descriptor in 3..<limit { posix_spawn_file_actions_addclose(&actions, descriptor) }
        let cArguments = (argv + arguments).map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in cArguments { free(pointer) }
            for pointer in cEnvironment { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, cEnvironment)
        guard spawned == 0 else { throw TestServerError("cannot start \(argv[0]): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // Exited normally with status 0.
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            let log = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
            throw TestServerError(
                "\(program) \(arguments.joined(separator: " ")) failed (wait status \(status)): \(text)\n\(log)")
        }
        return text
    }
}

/// The shared cluster of this process, or why it could not start.
struct SharedPostgresState {
    var server: PostgresTestServer?
    var failure: (any Error)?
}

/// The shared clusters of this process, by whether they speak TLS only.
private let sharedPostgresClusters = Mutex([Bool: SharedPostgresState]())

/// Stops the shared clusters (registered with atexit).
private func stopSharedPostgres() {
    sharedPostgresClusters.withLock { clusters in
        for state in clusters.values { state.server?.stop() }
    }
}

/// A test server that could not be started or driven.
public struct TestServerError: Error, CustomStringConvertible {
    /// What went wrong.
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A TCP port on 127.0.0.1 that nothing listens on now (bound to port 0, read, released).
public func freeLoopbackPort() throws -> Int {
    let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socketFD >= 0 else { throw TestServerError("socket() failed") }
    defer { close(socketFD) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard bound == 0 else { throw TestServerError("bind() failed") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
    }
    guard named == 0 else { throw TestServerError("getsockname() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}
