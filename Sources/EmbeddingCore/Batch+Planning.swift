/// How a scheduled batch is cut into model runs.
///
/// The scheduler packs inputs first-in first-out, so a batch mixes lengths, and one padded tensor
/// would spend much of its compute on padding. The planner sorts the batch by length and splits it
/// into runs that minimise padded tokens plus a fixed cost per run (ONNX Runtime spends about a
/// millisecond per `Run` call, the price of ~16 tokens on a small CPU). Pure and deterministic.
public struct BatchPlan: Sendable, Equatable {
    /// Indices into the planned lengths, one array per run, shortest run first.
    public var runs: [[Int]]

    /// Padded tokens of all runs together.
    public func paddedTokens(lengths: [Int]) -> Int {
        runs.reduce(0) { $0 + $1.count * ($1.map { lengths[$0] }.max() ?? 0) }
    }

    /// - Parameters:
    ///   - lengths: token count of each sequence.
    ///   - runOverheadTokens: fixed cost of one model run, in tokens.
    ///   - maxRowsPerRun: most sequences in one run.
    public init(lengths: [Int], runOverheadTokens: Int = 16, maxRowsPerRun: Int = 64) {
        precondition(maxRowsPerRun > 0 && runOverheadTokens >= 0)
        let n = lengths.count
        guard n > 0 else {
            runs = []
            return
        }
        let order = lengths.indices.sorted { lengths[$0] != lengths[$1] ? lengths[$0] < lengths[$1] : $0 < $1 }
        let sorted = order.map { lengths[$0] }
        // cost[i]: cheapest plan of the first i sorted sequences; cut[i]: where its last run starts.
        var cost = [Int](repeating: Int.max, count: n + 1)
        var cut = [Int](repeating: 0, count: n + 1)
        cost[0] = 0
        for i in 1...n {
            let longest = sorted[i - 1]
            for j in max(0, i - maxRowsPerRun)..<i {
                let candidate = cost[j] + (i - j) * longest + runOverheadTokens
                if candidate < cost[i] {
                    cost[i] = candidate
                    cut[i] = j
                }
            }
        }
        var runs: [[Int]] = []
        var end = n
        while end > 0 {
            let start = cut[end]
            runs.append(Array(order[start..<end]))
            end = start
        }
        self.runs = runs.reversed()
    }
}
