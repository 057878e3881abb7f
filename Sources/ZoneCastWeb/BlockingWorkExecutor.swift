import Foundation
import Hummingbird

/// Threads of its own for request handlers whose store calls block (PostgreSQL: each query waits for a round trip
/// on a semaphore). Swift's default executor has one thread per core; with the handlers blocking them on the
/// network, the 2-core server answered at ~70 % CPU with every request queued behind a waiting thread
/// (`bench load` on PostgreSQL). Handlers run here through `withTaskExecutorPreference`, so a blocked handler
/// holds one of these threads instead of one of the runtime's.
final class BlockingWorkExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var head = 0

    /// `name` and the thread's number must fit Linux's 15-byte thread names (else the thread keeps its creator's).
    init(threads: Int, name: String = "zc-handler") {
        for i in 0..<max(1, threads) {
            // Named from inside: a name set before start() did not reach the thread on Linux.
            Thread { [self] in
                Thread.current.name = "\(name)-\(i)"
                pthread_setspecific(Self.marker, UnsafeRawPointer(bitPattern: 1))
                self.work()
            }.start()
        }
    }

    /// Marks the threads of every `BlockingWorkExecutor` (a thread-specific value: thread names are for people, and
    /// Foundation's view of them proved unreliable under load).
    private static let marker: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Whether the calling thread is one of a `BlockingWorkExecutor`'s.
    static var isHandlerThread: Bool { pthread_getspecific(marker) != nil }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while head == jobs.count { condition.wait() }
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            } else if head > 4_096 {
                jobs.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// Runs every request's handler on a `BlockingWorkExecutor`.
struct BlockingWorkMiddleware<Context: RequestContext>: RouterMiddleware {
    let executor: BlockingWorkExecutor

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await withTaskExecutorPreference(executor) {
            try await next(request, context)
        }
    }
}
