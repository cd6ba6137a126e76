/// A binary min-heap of (instant, job number): the order in which finished jobs expire.
///
/// `push` and `popExpired` cost O(log n) per job, so expiring jobs costs amortised O(log n)
/// per created job (each job is pushed once and popped once).
struct ExpiryQueue {
    private var items: [(at: ContinuousClock.Instant, number: Int)] = []

    /// The number of queued jobs.
    var count: Int { items.count }

    /// Queues job `number` to expire at `at`.
    mutating func push(_ at: ContinuousClock.Instant, _ number: Int) {
        items.append((at, number))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].at < items[parent].at else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the job numbers whose instant is `<= now`, earliest first.
    mutating func popExpired(now: ContinuousClock.Instant, _ body: (Int) -> Void) {
        while let first = items.first, first.at <= now {
            body(first.number)
            removeFirst()
        }
    }

    /// The earliest entry, if any.
    var first: (at: ContinuousClock.Instant, number: Int)? { items.first }

    /// Removes the earliest entry.
    mutating func removeFirst() {
        guard !items.isEmpty else { return }
        let last = items.removeLast()
        guard !items.isEmpty else { return }
        items[0] = last
        siftDown()
    }

    private mutating func siftDown() {
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count, items[left].at < items[smallest].at { smallest = left }
            if right < items.count, items[right].at < items[smallest].at { smallest = right }
            guard smallest != parent else { return }
            items.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
