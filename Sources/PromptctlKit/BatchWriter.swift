import Foundation
import PromptctlStore

/// Collects rows and writes them in batches on a thread of its own: one transaction per batch, and never on the
/// threads that run the evaluation.
///
/// Why a thread of its own: Swift's cooperative pool has one thread per core (two on CI machines), and a batch of
/// SQLite writes on one of them stalls half of the calls and the scoring; a dispatch queue can in turn wait
/// behind a saturated dispatch pool. A batch is handed over when it is full or half a second after the last
/// one, so a crash loses at most that much work (a resumed run redoes it) and progress is visible in the store
/// while a run goes on. Jobs run in the order they were handed over.
final class BatchWriter<Row: Sendable>: @unchecked Sendable {
    private var pending: [Row] = []
    private var lastHandOver = DispatchTime.now().uptimeNanoseconds
    private var failure: (any Error)?
    private let limit: Int
    private let write: ([Row]) throws -> Void
    private let lock = NSLock()
    private let worker: SerialWorker
    private let retryFor: TimeInterval
    private let isTransient: @Sendable (any Error) -> Bool

    /// Creates a writer that calls `write` with batches of up to about `limit` rows.
    ///
    /// A batch that fails with an error the store calls transient (another process holding the store's lock, a
    /// PostgreSQL server restarting; the store's engine decides, see `StoreWriteHealth`) is
    /// tried again, with a growing pause, for up to `retryFor` seconds before the writer gives up: the rows are
    /// calls already paid for and results already computed, and a lock held for a while must not lose them.
    init(
        limit: Int, label: String = "promptctl.batch-writer", retryFor: TimeInterval = 120,
        store: any StoreWriteHealth, write: @escaping ([Row]) throws -> Void
    ) {
        self.limit = limit
        self.write = write
        self.retryFor = retryFor
        self.isTransient = { store.isTransient($0) }
        self.worker = SerialWorker(name: label)
    }

    private func retrying(_ job: () throws -> Void) throws {
        try retryingTransient(for: retryFor, isTransient: isTransient, job)
    }

    /// Adds a row; throws the error of an earlier batch that could not be written, so the run stops early.
    func add(_ row: Row) throws {
        let batch: [Row]? = try lock.withLock {
            if let failure { throw failure }
            pending.append(row)
            let now = DispatchTime.now().uptimeNanoseconds
            guard pending.count >= limit || now - lastHandOver > 500_000_000 else { return nil }
            lastHandOver = now
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
        if let batch { worker.submit { self.run { try self.retrying { try self.write(batch) } } } }
    }

    /// Runs a job after the batches handed over before it and before those after it (recording the run before
    /// its results); its error stops the writer like a failed batch.
    func enqueue(_ job: @escaping @Sendable () throws -> Void) {
        worker.submit { self.run(job) }
    }

    /// Writes what is pending, waits for every job, and throws the first error any of them met.
    func flush() throws {
        let batch = lock.withLock {
            defer { pending.removeAll() }
            return pending
        }
        if !batch.isEmpty { worker.submit { self.run { try self.retrying { try self.write(batch) } } } }
        worker.waitUntilIdle()
        if let failure = lock.withLock({ failure }) { throw failure }
    }

    private func run(_ job: () throws -> Void) {
        guard lock.withLock({ failure == nil }) else { return }
        do {
            try job()
        } catch {
            lock.withLock { if failure == nil { failure = error } }
        }
    }
}

/// Runs `job` on the calling thread, trying again with a growing pause while it fails with an error
/// `isTransient` accepts, for up to `seconds`.
func retryingTransient(
    for seconds: TimeInterval, isTransient: (any Error) -> Bool, _ job: () throws -> Void
) throws {
    let deadline = Date().addingTimeInterval(seconds)
    var pause = 0.1
    while true {
        do {
            return try job()
        } catch  where isTransient(error) && Date() < deadline {
            Thread.sleep(forTimeInterval: pause)
            pause = min(pause * 2, 2)
        }
    }
}

/// A thread that runs submitted jobs one after another; the thread ends once the worker is released and its
/// last job has run.
final class SerialWorker: @unchecked Sendable {
    /// What the thread and the worker share (the thread must not keep the worker itself alive).
    private final class State: @unchecked Sendable {
        let condition = NSCondition()
        var jobs: [() -> Void] = []
        var running = false
        var stopped = false
    }

    private let state = State()

    init(name: String) {
        let state = state
        let thread = Thread { Self.loop(state) }
        thread.name = name
        thread.start()
    }

    deinit {
        state.condition.lock()
        state.stopped = true
        state.condition.broadcast()
        state.condition.unlock()
    }

    /// Queues a job.
    func submit(_ job: @escaping () -> Void) {
        state.condition.lock()
        state.jobs.append(job)
        state.condition.broadcast()
        state.condition.unlock()
    }

    /// Blocks until every job submitted so far has run.
    func waitUntilIdle() {
        state.condition.lock()
        while !state.jobs.isEmpty || state.running { state.condition.wait() }
        state.condition.unlock()
    }

    private static func loop(_ state: State) {
        state.condition.lock()
        while true {
            while state.jobs.isEmpty && !state.stopped { state.condition.wait() }
            if state.jobs.isEmpty { break }
            let job = state.jobs.removeFirst()
            state.running = true
            state.condition.unlock()
            job()
            state.condition.lock()
            state.running = false
            state.condition.broadcast()
        }
        state.condition.unlock()
    }
}
