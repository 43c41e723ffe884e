import KubeModel
import ServingAPI
import ServingOperator
import Testing

/// Values that try to change the rendered document's shape. Each is refused with a message naming
/// the parameter, whatever position its placeholder has (plain whole scalar, quoted string, list
/// item, label), and nothing of it reaches any rendered object.
@Suite struct InjectionTests {
    struct Attack: CustomTestStringConvertible, Sendable {
        var label: String
        var value: String
        /// A fragment that must not appear in an error message or any rendered object.
        var marker: String
        var testDescription: String { label }
    }

    static let attacks: [Attack] = [
        Attack(label: "newline + hostNetwork", value: "1\nhostNetwork: true", marker: "hostNetwork"),
        Attack(label: "indented newline + hostNetwork", value: "x\n        hostNetwork: true", marker: "hostNetwork"),
        Attack(label: "carriage return", value: "1\rhostNetwork: true", marker: "hostNetwork"),
        Attack(label: "closing quote", value: "img:1\"\n  hostNetwork: true\n  x: \"", marker: "hostNetwork"),
        Attack(label: "closing quote, one line", value: "img:1\", \"privileged\": \"true", marker: "privileged"),
        Attack(label: "nested placeholder", value: "{{inputs.parameters.other}}", marker: "inputs.parameters.other"),
        Attack(label: "half placeholder", value: "x}}{{inputs.parameters.image", marker: "inputs.parameters.image"),
        Attack(label: "YAML alias", value: "*shm", marker: "*shm"),
        Attack(label: "YAML anchor", value: "&anchor hostNetworkAnchor", marker: "hostNetworkAnchor"),
        Attack(label: "YAML tag", value: "!!python/object:os.system hostNetworkTag", marker: "hostNetworkTag"),
        Attack(label: "mapping", value: "hostNetwork: true", marker: "hostNetwork"),
        Attack(label: "flow mapping", value: "{hostNetwork: true}", marker: "hostNetwork"),
        Attack(label: "flow sequence", value: "[hostNetwork]", marker: "hostNetwork"),
        Attack(label: "list item", value: "- hostNetwork", marker: "hostNetwork"),
        Attack(label: "block scalar", value: "|hostNetwork", marker: "hostNetwork"),
        Attack(label: "comment", value: "1 #hostNetwork", marker: "hostNetwork"),
        Attack(label: "tab", value: "1\thostNetwork", marker: "hostNetwork"),
        Attack(label: "line separator", value: "1\u{2028}hostNetwork", marker: "hostNetwork"),
        Attack(label: "NUL", value: "1\u{0}hostNetwork", marker: "hostNetwork"),
        Attack(label: "1 MB of text", value: String(repeating: "hostNetwork", count: 1_000_000 / 11 + 1), marker: "hostNetworkhostNetwork"),
    ]

    /// Seed parameters whose placeholders sit in different positions: plain whole scalars
    /// (minReplicas, containerPort), double-quoted strings (image, env values) and a label.
    static let parameters = ["minReplicas", "portNumber", "image", "batchSize", "resourcePlan", "additionalArgument"]

    static func inputs() -> [(String, Attack)] {
        parameters.flatMap { parameter in attacks.map { (parameter, $0) } }
    }

    @Test(arguments: inputs())
    func refused(_ parameter: String, _ attack: Attack) throws {
        var configuration = Fixtures.seedConfiguration()
        var bindings = (configuration.spec.parameterBindings ?? []).filter { $0.key != parameter }
        bindings.append(KeyValue(key: parameter, value: attack.value))
        configuration.spec.parameterBindings = bindings
        let input = try Fixtures.seedInput(configuration: configuration)
        do {
            let rendered = try render(input)
            Issue.record("\(attack.label) in \(parameter) was rendered")
            #expect(!Fixtures.allText(rendered).contains(attack.marker))
        } catch {
            #expect(error.kind == .invalidValue, "\(error)")
            #expect(error.field == parameter)
            #expect(error.message.contains("parameter \"\(parameter)\""), "\(error.message)")
            #expect(!error.message.contains(attack.marker), "the message echoes the value: \(error.message.prefix(200))")
            #expect(error.message.utf8.count < 400)
        }
    }

    /// A template default is held to the same rules as a binding.
    @Test func aTemplateDefaultIsCheckedToo() throws {
        let template = Fixtures.template(
            spec: "predictor:\n  containers:\n  - name: c\n    image: \"{{inputs.parameters.image}}\"\n",
            parameters: [V1Alpha1.TemplateParameter(name: "image", default: "x\nhostNetwork: true")])
        let error = renderError(try Fixtures.input(template, Fixtures.configuration([:])))
        #expect(error?.kind == .invalidValue)
        #expect(error?.message.contains("parameter \"image\" (default of template") == true)
    }

    /// An artifact URL goes through the same checks, naming the artifact.
    @Test func anArtifactURLIsCheckedToo() throws {
        let template = Fixtures.template(
            spec: "predictor:\n  containers:\n  - name: c\n    image: i\n    env:\n    - name: STORAGE_URI\n      value: \"{{inputs.artifacts.model}}\"\n",
            parameters: [], artifacts: ["model"])
        let artifact = V1Alpha1.Artifact(
            metadata: ObjectMeta(name: "a1"),
            spec: V1Alpha1.ArtifactSpec(name: "m", url: "s3://bucket/x\"\nhostNetwork: true"))
        let error = renderError(try Fixtures.input(template, Fixtures.configuration([:], artifacts: ["model": "a1"]), artifacts: [artifact]))
        #expect(error?.kind == .invalidValue)
        #expect(error?.field == "model")
        #expect(error?.message.contains("artifact \"model\"") == true)
    }

    /// Ordinary values with punctuation still pass, spliced as text.
    @Test func ordinaryValuesPass() throws {
        var configuration = Fixtures.seedConfiguration()
        configuration.spec.parameterBindings? += [
            KeyValue(key: "additionalArgument", value: "--pooling mean --max-length=512 key=a:b,c#1"),
            KeyValue(key: "urlPrefix", value: "/v1/embeddings?x=1&y=[2]"),
        ]
        let rendered = try render(Fixtures.seedInput(configuration: configuration))
        let env = rendered.deployment?[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?["env"]?.arrayValue ?? []
        #expect(env.contains(["name": "ARG", "value": "--pooling mean --max-length=512 key=a:b,c#1"]))
        #expect(env.contains(["name": "URL_PRE_FIX", "value": "/v1/embeddings?x=1&y=[2]"]))
    }
}
