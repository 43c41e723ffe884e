/// How a scheduled batch is laid out in model runs when the backend takes packed rows.
///
/// Padding a batch of short inputs to its longest one wastes compute, and splitting it into many
/// small runs to avoid that wastes ONNX Runtime's per-run cost and its efficiency on larger
/// matrices. With a segment-aware model (``InferenceBackend/acceptsPackedRows``) short sequences
/// can instead share rows of at most `rowCapacity` tokens (a sequence at least that long gets a
/// row of its own). First-fit-decreasing finds how many rows the shorter sequences need; they are
/// then spread over that many rows (or one more), longest first, each into the least filled row,
/// so the rows come out nearly equal, unless the first-fit rows pad less. A run pads every row to
/// its longest, so a last row that first-fit leaves half empty would cost its padding or a run
/// of its own (about a millisecond on a small CPU). The rows are then cut into runs by
/// ``BatchPlan`` over their filled lengths. With `rowCapacity` ≤ 1 every sequence gets its own
/// row, which is ``BatchPlan`` exactly. Pure and deterministic.
public struct PackingPlan: Sendable, Equatable {
    /// Indices into the planned lengths: one array per run, one array per row in it, in the order
    /// the sequences sit in the row.
    public var runs: [[[Int]]]

    /// Padded tokens of all runs together (rows padded to the run's longest row).
    public func paddedTokens(lengths: [Int]) -> Int {
        runs.reduce(0) { total, rows in
            let fills = rows.map { $0.reduce(0) { $0 + lengths[$1] } }
            return total + rows.count * (fills.max() ?? 0)
        }
    }

    /// - Parameters:
    ///   - lengths: token count of each sequence.
    ///   - rowCapacity: most tokens of one packed row; 0 or 1 packs nothing.
    ///   - runOverheadTokens: fixed cost of one model run, in tokens (see ``BatchPlan``).
    ///   - maxRowsPerRun: most rows in one run.
    public init(lengths: [Int], rowCapacity: Int, runOverheadTokens: Int = 16, maxRowsPerRun: Int = 64) {
        precondition(lengths.allSatisfy { $0 > 0 }, "sequences have at least one token")
        let rows: [[Int]]
        if rowCapacity <= 1 {
            rows = lengths.indices.map { [$0] }
        } else {
            let order = lengths.indices.sorted { lengths[$0] != lengths[$1] ? lengths[$0] > lengths[$1] : $0 < $1 }
            rows = order.filter { lengths[$0] >= rowCapacity }.map { [$0] }
                + Self.sharedRows(order.filter { lengths[$0] < rowCapacity }, lengths: lengths, capacity: rowCapacity)
        }
        let fills = rows.map { $0.reduce(0) { $0 + lengths[$1] } }
        let plan = BatchPlan(lengths: fills, runOverheadTokens: runOverheadTokens, maxRowsPerRun: maxRowsPerRun)
        runs = plan.runs.map { run in run.map { rows[$0] } }
    }

    /// The sequences of `order` (longest first, each shorter than `capacity`) in rows: the
    /// first-fit-decreasing rows, or the same sequences spread longest first over as many rows
    /// (or one more), each into the least filled row; whichever fits and pads least (rows ×
    /// fullest row), the fewer rows on a tie.
    static func sharedRows(_ order: [Int], lengths: [Int], capacity: Int) -> [[Int]] {
        var firstFit: [[Int]] = []
        var firstFitFills: [Int] = []
        for index in order {
            let length = lengths[index]
            if let row = firstFitFills.firstIndex(where: { $0 + length <= capacity }) {
                firstFit[row].append(index)
                firstFitFills[row] += length
            } else {
                firstFit.append([index])
                firstFitFills.append(length)
            }
        }
        guard firstFit.count > 1 else { return firstFit }
        var best = firstFit
        var bestCost = firstFit.count * (firstFitFills.max() ?? 0)
        for count in [firstFit.count, firstFit.count + 1] {
            var rows = [[Int]](repeating: [], count: count)
            var fills = [Int](repeating: 0, count: count)
            for index in order {
                var least = 0
                for row in 1..<count where fills[row] < fills[least] { least = row }
                rows[least].append(index)
                fills[least] += lengths[index]
            }
            let cost = count * (fills.max() ?? 0)
            if fills.allSatisfy({ $0 <= capacity }), cost < bestCost {
                best = rows
                bestCost = cost
            }
        }
        return best
    }
}
