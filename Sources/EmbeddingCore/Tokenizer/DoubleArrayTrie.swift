/// An immutable byte-level double-array trie mapping byte strings to `Int32` values.
///
/// Used for WordPiece's greedy longest-match lookup (one walk per sub-token instead of one hash of
/// every candidate substring) and for finding added tokens in the input. A transition from node `s`
/// on byte `b` goes to `t = base[s] + b` when `check[t] == s`.
final class DoubleArrayTrie: @unchecked Sendable {
    // @unchecked Sendable: the storage is written only in `init` and never mutated afterwards.

    struct Unit {
        var base: Int32
        var check: Int32
        var value: Int32
    }

    /// The root node.
    static let root: Int32 = 0

    /// base/check/value for every slot; padded so that `base + 255` is always in bounds.
    let units: UnsafeMutablePointer<Unit>
    let unitCount: Int

    /// Builds the trie. Later duplicates of a key overwrite earlier ones; empty keys are ignored.
    init<S: Sequence>(_ entries: S) where S.Element == ([UInt8], Int32) {
        // 1. A plain pointer trie with sorted children.
        var children: [[(UInt8, Int32)]] = [[]]
        var values: [Int32] = [-1]
        for (key, value) in entries where !key.isEmpty {
            var node = 0
            for byte in key {
                if let next = children[node].first(where: { $0.0 == byte }) {
                    node = Int(next.1)
                } else {
                    let id = Int32(children.count)
                    children.append([])
                    values.append(-1)
                    children[node].append((byte, id))
                    node = Int(id)
                }
            }
            values[node] = value
        }

        // 2. Place the nodes breadth first into the double array. `freeLink` finds the first free
        // slot at or after a position (union-find with path halving), so placing is near-linear.
        var base: [Int32] = [0]
        var check: [Int32] = [-2]  // root slot is taken
        var value: [Int32] = [values[0]]
        var freeLink: [Int32] = [1]
        func ensure(_ size: Int) {
            while base.count < size {
                freeLink.append(Int32(base.count))
                base.append(0)
                check.append(-1)
                value.append(-1)
            }
        }
        func firstFree(atOrAfter position: Int) -> Int {
            var p = position
            ensure(p + 1)
            while Int(freeLink[p]) != p {
                let next = Int(freeLink[p])
                ensure(next + 1)
                freeLink[p] = freeLink[next]
                p = next
            }
            return p
        }
        func occupy(_ slot: Int) {
            ensure(slot + 2)
            freeLink[slot] = Int32(slot + 1)
        }
        var queue: [(temp: Int32, slot: Int32)] = [(0, 0)]
        var head = 0
        while head < queue.count {
            let (temp, slot) = queue[head]
            head += 1
            var kids = children[Int(temp)]
            if kids.isEmpty { continue }
            kids.sort { $0.0 < $1.0 }
            let lowest = Int(kids[0].0)
            var position = firstFree(atOrAfter: lowest + 1)
            while true {
                let b = position - lowest
                ensure(b + 257)
                if kids.allSatisfy({ check[b + Int($0.0)] == -1 }) { break }
                position = firstFree(atOrAfter: position + 1)
            }
            let chosen = position - lowest
            base[Int(slot)] = Int32(chosen)
            for (byte, child) in kids {
                let t = chosen + Int(byte)
                check[t] = slot
                value[t] = values[Int(child)]
                occupy(t)
                queue.append((child, Int32(t)))
            }
        }
        ensure(base.count + 257)
        unitCount = base.count
        units = .allocate(capacity: unitCount)
        for i in 0..<unitCount {
            (units + i).initialize(to: Unit(base: base[i], check: check[i], value: value[i]))
        }
    }

    deinit {
        units.deinitialize(count: unitCount)
        units.deallocate()
    }

    /// Follows `bytes` from `node`; nil if the path leaves the trie.
    func walk(_ bytes: some Sequence<UInt8>, from node: Int32 = DoubleArrayTrie.root) -> Int32? {
        var s = node
        for byte in bytes {
            let t = units[Int(s)].base &+ Int32(byte)
            guard units[Int(t)].check == s else { return nil }
            s = t
        }
        return s
    }

    /// The value stored at `node`, or -1.
    @inline(__always)
    func value(at node: Int32) -> Int32 { units[Int(node)].value }

    /// The longest key that is a prefix of `bytes[start..<end]` when walking from `node`:
    /// returns the end index of the match (exclusive) and its value, or `(-1, -1)` when none.
    @inline(__always)
    func longestPrefix(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int, node: Int32) -> (end: Int, value: Int32) {
        Self.longestPrefix(UnsafePointer(units), bytes, from: start, to: end, node: node)
    }

    @inline(__always)
    static func longestPrefix(_ units: UnsafePointer<Unit>, _ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int,
                              node: Int32) -> (end: Int, value: Int32) {
        var s = Int(node)
        var i = start
        var bestEnd = -1
        var bestValue: Int32 = -1
        while i < end {
            let t = Int(units[s].base) &+ Int(bytes[i])
            if units[t].check != Int32(truncatingIfNeeded: s) { break }
            s = t
            i &+= 1
            let v = units[s].value
            if v >= 0 {
                bestEnd = i
                bestValue = v
            }
        }
        return (bestEnd, bestValue)
    }
}
