/// The post-processor for a single sequence (`TemplateProcessing` or `BertProcessing`): special
/// tokens before and after the sequence, with their type ids.
struct PostProcessor: Sendable {
    struct Special: Sendable, Equatable {
        var id: Int32
        var typeId: Int32
    }

    let prefix: [Special]
    let suffix: [Special]
    /// The type id of the sequence's own tokens.
    let sequenceTypeId: Int32

    var addedCount: Int { prefix.count + suffix.count }
    var allTypeIdsZero: Bool {
        sequenceTypeId == 0 && prefix.allSatisfy { $0.typeId == 0 } && suffix.allSatisfy { $0.typeId == 0 }
    }

    /// No post-processor: nothing is added.
    static let none = PostProcessor(prefix: [], suffix: [], sequenceTypeId: 0)

    /// `BertProcessing`: `[CLS] A [SEP]`, all type id 0.
    static func bert(cls: Int32, sep: Int32) -> PostProcessor {
        PostProcessor(prefix: [Special(id: cls, typeId: 0)], suffix: [Special(id: sep, typeId: 0)], sequenceTypeId: 0)
    }
}
