import Foundation

/// Collects rows and writes them in batches on its own serial queue: one transaction per batch, and never on the
/// threads that run the evaluation.
///
/// Why a queue of its own: Swift's cooperative pool has one thread per core (two on CI machines), and a batch of
/// SQLite writes on one of them stalls half of the calls and the scoring. A batch is handed over when it is full
/// or half a second after the last one, so a crash loses at most that much work (a resumed run redoes it) and
/// progress is visible in the store while a run goes on. Batches are written in the order rows were added.
final class BatchWriter<Row: Sendable>: @unchecked Sendable {
    private var pending: [Row] = []
    private var lastHandOver = DispatchTime.now().uptimeNanoseconds
    private var failure: (any Error)?
    private let limit: Int
    private let write: ([Row]) throws -> Void
    private let lock = NSLock()
    private let queue: DispatchQueue

    /// Creates a writer that calls `write` with batches of up to about `limit` rows.
    init(limit: Int, label: String = "promptctl.batch-writer", write: @escaping ([Row]) throws -> Void) {
        self.limit = limit
        self.write = write
        self.queue = DispatchQueue(label: label, qos: .utility)
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
        if let batch { queue.async { self.run(batch) } }
    }

    /// Runs a job on the writer's queue, after the batches handed over before it and before those after it
    /// (recording the run before its results); its error stops the writer like a failed batch.
    func enqueue(_ job: @escaping @Sendable () throws -> Void) {
        queue.async {
            guard self.lock.withLock({ self.failure == nil }) else { return }
            do {
                try job()
            } catch {
                self.lock.withLock { if self.failure == nil { self.failure = error } }
            }
        }
    }

    /// Writes what is pending, waits for every batch, and throws the first error any of them met.
    func flush() throws {
        let batch = lock.withLock {
            defer { pending.removeAll() }
            return pending
        }
        queue.sync {
            if !batch.isEmpty { run(batch) }
        }
        if let failure = lock.withLock({ failure }) { throw failure }
    }

    private func run(_ batch: [Row]) {
        guard lock.withLock({ failure == nil }) else { return }
        do {
            try write(batch)
        } catch {
            lock.withLock { if failure == nil { failure = error } }
        }
    }
}
