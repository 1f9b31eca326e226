import Synchronization

/// Group commit: concurrent callers' items are written together, by whichever caller finds no write running.
///
/// A caller that finds the store idle writes its items on its own thread at once (no thread hop); callers that
/// arrive while a write runs wait, and the writer then writes everything that gathered in one more transaction
/// before it returns. One write runs at a time, so at most one thread is busy writing.
final class GroupCommit<Item: Sendable>: Sendable {
    private struct Waiting {
        var items: [Item]
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State: ~Copyable {
        var writing = false
        var waiting: [Waiting] = []
    }

    private let state = Mutex(State())
    /// Items written since the count was last taken.
    private let written = Atomic<Int>(0)

    /// The number of items written since the last call, and starts counting again from zero.
    func takeWrittenCount() -> Int { written.exchange(0, ordering: .relaxed) }

    /// Writes `items` with `write` (alone or in a batch with others'); returns once they are written.
    func submit(_ items: [Item], write: @Sendable ([Item]) throws -> Void) async throws {
        if state.withLock({ state in
            guard !state.writing else { return false }
            state.writing = true
            return true
        }) {
            defer { drain(write) }
            try write(items)
            written.add(items.count, ordering: .relaxed)
            return
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let queued = state.withLock { state in
                guard state.writing else {
                    state.writing = true
                    return false
                }
                state.waiting.append(Waiting(items: items, continuation: continuation))
                return true
            }
            guard !queued else { return }
            let result = Result { try write(items) }
            if case .success = result { written.add(items.count, ordering: .relaxed) }
            continuation.resume(with: result)
            drain(write)
        }
    }

    /// Writes what gathered while this caller wrote, until nothing waits; then lets the next caller write.
    private func drain(_ write: @Sendable ([Item]) throws -> Void) {
        while true {
            let batch = state.withLock { state in
                let batch = state.waiting
                state.waiting = []
                if batch.isEmpty { state.writing = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                let items = batch.flatMap(\.items)
                try write(items)
                written.add(items.count, ordering: .relaxed)
                for waiting in batch { waiting.continuation.resume() }
            } catch {
                // One caller's bad row must not fail the others: each is written on its own, and only its own
                // failure reaches it.
                for waiting in batch {
                    let result = Result { try write(waiting.items) }
                    if case .success = result { written.add(waiting.items.count, ordering: .relaxed) }
                    waiting.continuation.resume(with: result)
                }
            }
        }
    }
}
