/// A min-heap of simulation events keyed by `(instant, trial)`: the discrete-event simulation's
/// agenda (`FleetSimulator`).
///
/// Tie-break: events at the same instant come out in increasing trial index; a trial never has
/// two events pending, so the key is unique and the order total: the same inputs always give
/// the same order, independent of insertion order or of the heap's layout.
struct EventQueue<Payload>: Sendable where Payload: Sendable {
    struct Entry: Sendable {
        var at: Duration
        var trial: Int
        var payload: Payload

        func precedes(_ other: Entry) -> Bool {
            at != other.at ? at < other.at : trial < other.trial
        }
    }

    private var heap: [Entry] = []

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    /// Adds an event for `trial` at `at` (O(log n)).
    mutating func push(at: Duration, trial: Int, _ payload: Payload) {
        heap.append(Entry(at: at, trial: trial, payload: payload))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest event (lowest trial index among equal instants), or `nil`.
    mutating func pop() -> Entry? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let first = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var best = parent
            if left < heap.count, heap[left].precedes(heap[best]) { best = left }
            if right < heap.count, heap[right].precedes(heap[best]) { best = right }
            guard best != parent else { break }
            heap.swapAt(parent, best)
            parent = best
        }
        return first
    }
}
