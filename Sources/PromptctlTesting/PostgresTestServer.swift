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

    /// The one cluster of this test process, started on first use.
    public static func shared() throws -> PostgresTestServer {
        try sharedPostgresCluster.withLock { state in
            if let server = state.server { return server }
            if let failure = state.failure { throw failure }
            do {
                let server = try PostgresTestServer.start()
                state.server = server
                // Swift Testing ends the process with exit(): stop the cluster then.
                atexit(stopSharedPostgres)
                return server
            } catch {
                state.failure = error
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
    public static func start() throws -> PostgresTestServer {
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
            port: try freeLoopbackPort(), password: password, directory: directory, binDirectory: bin, runAs: runAs)
        try server.run(
            "initdb",
            [
                "-D", directory + "/data", "-U", server.user, "--pwfile=" + passwordFile, "-A", "scram-sha-256",
                "-E", "UTF8", "--locale=C", "--no-sync",
            ])
        try server.run(
            "pg_ctl",
            [
                "-D", directory + "/data", "-l", directory + "/server.log", "-w", "-t", "60",
                "-o", "-p \(server.port) -c listen_addresses=127.0.0.1 -k \(directory) -F -c max_connections=200",
                "start",
            ])
        return server
    }

    private init(port: Int, password: String, directory: String, binDirectory: String, runAs: String?) {
        self.port = port
        self.password = password
        self.directory = directory
        self.binDirectory = binDirectory
        self.runAs = runAs
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
        try run(
            "pg_ctl",
            [
                "-D", directory + "/data", "-l", directory + "/server.log", "-w", "-t", "60",
                "-o", "-p \(port) -c listen_addresses=127.0.0.1 -k \(directory) -F -c max_connections=200", "start",
            ])
    }

    /// Runs one of PostgreSQL's programs (as the cluster's owner) and waits; a failure throws with its output.
    ///
    /// posix_spawn and waitpid rather than Foundation's Process: the server that `pg_ctl start` leaves running
    /// inherits what Process uses to notice the end of its child, so Process would wait forever.
    @discardableResult
    func run(_ program: String, _ arguments: [String]) throws -> String {
        let executable = binDirectory + "/" + program
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

private let sharedPostgresCluster = Mutex(SharedPostgresState())

/// Stops the shared cluster (registered with atexit).
private func stopSharedPostgres() {
    sharedPostgresCluster.withLock { $0.server?.stop() }
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
