/// How a scheduled batch is laid out in model runs when the backend takes packed rows.
///
/// Padding a batch of short inputs to its longest one wastes compute, and splitting it into many
/// small runs to avoid that wastes ONNX Runtime's per-run cost and its efficiency on larger
/// matrices. With a segment-aware model (``InferenceBackend/acceptsPackedRows``) short sequences
/// can instead share rows: sequences are packed first-fit-decreasing into rows of at most
/// `rowCapacity` tokens (a sequence at least that long gets a row of its own), and the rows are
/// then cut into runs by ``BatchPlan`` over their filled lengths. With `rowCapacity` ≤ 1 every
/// sequence gets its own row, which is ``BatchPlan`` exactly. Pure and deterministic.
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
        var rows: [[Int]] = []
        if rowCapacity <= 1 {
            rows = lengths.indices.map { [$0] }
        } else {
            var fills: [Int] = []
            let order = lengths.indices.sorted { lengths[$0] != lengths[$1] ? lengths[$0] > lengths[$1] : $0 < $1 }
            for index in order {
                let length = lengths[index]
                if let row = fills.firstIndex(where: { $0 + length <= rowCapacity }) {
                    rows[row].append(index)
                    fills[row] += length
                } else {
                    rows.append([index])
                    fills.append(length)
                }
            }
        }
        let fills = rows.map { $0.reduce(0) { $0 + lengths[$1] } }
        let plan = BatchPlan(lengths: fills, runOverheadTokens: runOverheadTokens, maxRowsPerRun: maxRowsPerRun)
        runs = plan.runs.map { run in run.map { rows[$0] } }
    }
}
