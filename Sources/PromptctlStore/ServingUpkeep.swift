import Foundation
import GRDB
import PromptctlCore
import Synchronization

/// Upkeep a store runs beside a long-running server, stopped when the server stops.
public final class ServingUpkeep: Sendable {
    private let stopAction: @Sendable () -> Void
    private let stopped = Mutex(false)

    /// Upkeep that `stop()` ends with `stopAction`.
    public init(stop stopAction: @escaping @Sendable () -> Void) {
        self.stopAction = stopAction
    }

    /// No upkeep (a store whose server keeps itself, such as PostgreSQL).
    public static func none() -> ServingUpkeep { ServingUpkeep {} }

    /// Ends the upkeep and waits for it; calling it again does nothing.
    public func stop() {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        if first { stopAction() }
    }

    deinit { stop() }
}

/// Copies SQLite's write-ahead log into the database file on a thread and a connection of its own.
///
/// SQLite checkpoints by itself, inside the commit that takes the log past 1,000 pages: that commit then copies
/// four megabytes and syncs the file, about 2–3 ms, and the exchange whose answer waits for it is the gateway's
/// slowest. A passive checkpoint on another connection never blocks the writer, so the gateway's writer turns
/// automatic checkpoints off and this loop does them instead.
///
/// It waits for a few hundred writes between checkpoints. A checkpoint that copies the whole log lets the next
/// commit start the log again from its beginning, and that commit writes a new log header and syncs it (0.4–0.6 ms
/// here, measured with `strace` on the gateway in session 26). Checkpointing an idle server's log every quarter of a
/// second made every second or third exchange at low traffic pay that sync.
final class CheckpointLoop: Sendable {
    private let stopping = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts the loop: every `interval` seconds, once `minimumWrites` writes (counted by `takeWrites`) have
    /// gathered since the last checkpoint, or `maximumDelay` seconds have passed with at least one, a passive
    /// checkpoint of `checkpointer`; a log longer than `resetFrames` pages is emptied.
    init(
        checkpointer: DatabaseQueue, interval: Double, resetFrames: Int, minimumWrites: Int, maximumDelay: Double,
        takeWrites: @escaping @Sendable () -> Int
    ) {
        let thread = Thread { [stopping, finished] in
            var pending = 0
            var lastCheckpoint = DispatchTime.now()
            while stopping.wait(timeout: .now() + interval) == .timedOut {
                pending += takeWrites()
                let waited = Double(DispatchTime.now().uptimeNanoseconds - lastCheckpoint.uptimeNanoseconds) / 1e9
                guard pending >= minimumWrites || (pending > 0 && waited >= maximumDelay) else { continue }
                // A checkpoint that fails (a reader holding old pages) is tried again on the next turn, and so is
                // one that could not copy the whole log (the writer was busy).
                let copiedAll = try? checkpointer.writeWithoutTransaction { db -> Bool in
                    let (frames, copied) = try db.checkpoint(.passive)
                    // Under steady traffic a passive checkpoint never finds the log idle, so SQLite never starts it
                    // again from the beginning and it grows for as long as the traffic lasts (160 MB after 4,000
                    // exchanges at 1,200 a second). Past `resetFrames` one checkpoint waits for the writer's
                    // current commit, copies what the passive one left and empties the file: a pause of a few
                    // milliseconds for the commits behind it, once per several hundred exchanges.
                    if frames > resetFrames {
                        _ = try db.checkpoint(.truncate)
                        return true
                    }
                    return copied >= frames
                }
                if copiedAll == true {
                    pending = 0
                    lastCheckpoint = DispatchTime.now()
                }
            }
            finished.signal()
        }
        thread.name = "promptctl.checkpoint"
        thread.start()
    }

    /// Ends the loop after its current turn and waits for it.
    func stop() {
        stopping.signal()
        finished.wait()
    }
}

extension AppDatabase {
    /// Moves the write-ahead log's checkpoints off the commits: a passive checkpoint on a connection of its own,
    /// looked at every `interval` seconds, once 256 exchanges have been written since the last one or five minutes
    /// have passed. Until `stop()` the writer never checkpoints inside a commit.
    public func startServingUpkeep(interval: Double) throws -> ServingUpkeep {
        try startServingUpkeep(interval: interval, resetFrames: 8_000, minimumWrites: 256, maximumDelay: 300)
    }

    /// The same, checkpointing after `minimumWrites` exchanges (or `maximumDelay` seconds after the first) and
    /// emptying the log once it holds more than `resetFrames` pages (8,000 pages is 32 MB).
    public func startServingUpkeep(interval: Double, resetFrames: Int, minimumWrites: Int, maximumDelay: Double)
        throws -> ServingUpkeep
    {
        var configuration = Configuration()
        configuration.busyMode = .timeout(1)
        let checkpointer: DatabaseQueue
        do {
            checkpointer = try DatabaseQueue(path: path, configuration: configuration)
            try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        } catch {
            throw PromptctlError(
                .infrastructure, "cannot open a second connection to \(path) for its checkpoints", cause: error)
        }
        let exchangeCommits = exchangeCommits
        let loop = CheckpointLoop(
            checkpointer: checkpointer, interval: interval, resetFrames: resetFrames, minimumWrites: minimumWrites,
            maximumDelay: maximumDelay, takeWrites: { exchangeCommits.takeWrittenCount() })
        let writer = writer
        return ServingUpkeep {
            loop.stop()
            // The writer checkpoints by itself again, as every other command's does.
            try? writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 1000") }
        }
    }
}
