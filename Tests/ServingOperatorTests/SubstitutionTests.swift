import KubeModel
import ServingAPI
import ServingOperator
import Testing

/// Placeholders, bindings and YAML typing.
@Suite struct SubstitutionTests {
    static let spec = """
        predictor:
          minReplicas: {{inputs.parameters.min}}
          maxReplicas: {{ inputs.parameters.max }}
          containers:
          - name: kserve-container
            image: "{{inputs.parameters.image}}"
            args: [--flag, {{inputs.parameters.flag}}]
            env:
            - name: WHOLE_QUOTED
              value: "{{inputs.parameters.min}}"
            - name: EMBEDDED
              value: prefix-{{inputs.parameters.min}}-suffix
            - name: SINGLE
              value: '{{inputs.parameters.image}}'
        """

    static let parameters = [
        V1Alpha1.TemplateParameter(name: "min", default: "2"),
        V1Alpha1.TemplateParameter(name: "max", default: "4"),
        V1Alpha1.TemplateParameter(name: "image", default: "registry.example/img:1.0"),
        V1Alpha1.TemplateParameter(name: "flag", default: "true"),
    ]

    func renderSpec(_ spec: String = spec, parameters: [V1Alpha1.TemplateParameter] = parameters,
                    bindings: [String: String] = [:]) throws -> RenderedObjects {
        try render(Fixtures.input(Fixtures.template(spec: spec, parameters: parameters), Fixtures.configuration(bindings)))
    }

    @Test func wholePlainPlaceholdersKeepYAMLTyping() throws {
        let rendered = try renderSpec()
        let predictor = rendered.inferenceService[path: ["spec", "predictor"]]
        #expect(predictor?["minReplicas"] == .int(2))
        #expect(predictor?["maxReplicas"] == .int(4))
        let container = predictor?["containers"]?.arrayValue?.first
        #expect(container?["args"] == ["--flag", true])
        #expect(container?["image"] == "registry.example/img:1.0")
        let env = container?["env"]?.arrayValue ?? []
        #expect(env.contains(["name": "WHOLE_QUOTED", "value": "2"]))
        #expect(env.contains(["name": "EMBEDDED", "value": "prefix-2-suffix"]))
        #expect(env.contains(["name": "SINGLE", "value": "registry.example/img:1.0"]))
    }

    @Test func bindingsWinOverDefaults() throws {
        let rendered = try renderSpec(bindings: ["min": "3", "max": "7", "flag": "text"])
        let predictor = rendered.inferenceService[path: ["spec", "predictor"]]
        #expect(predictor?["minReplicas"] == .int(3))
        #expect(predictor?["maxReplicas"] == .int(7))
        #expect(predictor?["containers"]?.arrayValue?.first?["args"] == ["--flag", "text"])
    }

    @Test func aWholePlaceholderThatIsNotANumberWhereOneIsNeededIsRefusedNamingIt() throws {
        let error = renderError(try Fixtures.input(
            Fixtures.template(spec: Self.spec, parameters: Self.parameters), Fixtures.configuration(["min": "abc"])))
        #expect(error?.kind == .invalidValue)
        #expect(error?.field == "min")
        #expect(error?.message.contains("parameter \"min\"") == true)
    }

    @Test func unknownPlaceholderIsNamed() throws {
        let spec = Self.spec + "\n    - name: X\n      value: \"{{inputs.parameters.nope}}\"\n"
        let error = renderError(try Fixtures.input(Fixtures.template(spec: spec, parameters: Self.parameters), Fixtures.configuration([:])))
        #expect(error?.kind == .unknownPlaceholder)
        #expect(error?.message.contains("{{inputs.parameters.nope}}") == true)
        #expect(error?.field == "nope")
    }

    @Test(arguments: ["{{inputs.parameter.min}}", "{{min}}", "{{ inputs.parameters.min-x }}", "{{inputs.parameters.min"])
    func malformedPlaceholderIsRefused(_ placeholder: String) throws {
        let spec = "predictor:\n  containers:\n  - name: c\n    image: \"\(placeholder)\"\n"
        let error = renderError(try Fixtures.input(Fixtures.template(spec: spec, parameters: Self.parameters), Fixtures.configuration([:])))
        #expect(error?.kind == .unknownPlaceholder)
    }

    @Test func placeholdersInYAMLCommentsAreIgnored() throws {
        let spec = Self.spec + "\n# uses {{inputs.parameters.commented}} nowhere\n"
        _ = try renderSpec(spec)
    }

    @Test func missingParameterIsNamed() throws {
        var parameters = Self.parameters
        parameters[2].default = nil
        let error = renderError(try Fixtures.input(Fixtures.template(spec: Self.spec, parameters: parameters), Fixtures.configuration([:])))
        #expect(error?.kind == .missingParameter)
        #expect(error?.field == "image")
        #expect(error?.message.contains("parameter \"image\" has no value") == true)
    }

    @Test func anUnusedDeclaredParameterNeedsNoValue() throws {
        _ = try renderSpec(parameters: Self.parameters + [V1Alpha1.TemplateParameter(name: "unused", default: nil)])
    }

    @Test func aBindingTheTemplateDoesNotDeclareIsRefused() throws {
        let error = renderError(try Fixtures.input(
            Fixtures.template(spec: Self.spec, parameters: Self.parameters), Fixtures.configuration(["typo": "1"])))
        #expect(error?.kind == .unusedBinding)
        #expect(error?.message.contains("\"typo\"") == true)
    }

    @Test func aBindingTheTemplateNeverUsesIsRefused() throws {
        let parameters = Self.parameters + [V1Alpha1.TemplateParameter(name: "gpu", default: "4")]
        let error = renderError(try Fixtures.input(
            Fixtures.template(spec: Self.spec, parameters: parameters), Fixtures.configuration(["gpu": "8"])))
        #expect(error?.kind == .unusedBinding)
        #expect(error?.field == "gpu")
        #expect(error?.message.contains("never uses {{inputs.parameters.gpu}}") == true)
    }

    @Test func aKeyBoundTwiceIsRefused() throws {
        var configuration = Fixtures.configuration(["min": "1"])
        configuration.spec.parameterBindings?.append(KeyValue(key: "min", value: "2"))
        let error = renderError(try Fixtures.input(Fixtures.template(spec: Self.spec, parameters: Self.parameters), configuration))
        #expect(error?.kind == .duplicateBinding)
    }

    @Test func anUnboundArtifactIsNamed() throws {
        let spec = Self.spec + "\n    - name: STORAGE_URI\n      value: \"{{inputs.artifacts.model}}\"\n"
        let error = renderError(try Fixtures.input(
            Fixtures.template(spec: spec, parameters: Self.parameters, artifacts: ["model"]), Fixtures.configuration([:])))
        #expect(error?.kind == .unboundArtifact)
        #expect(error?.field == "model")
    }

    @Test func aMissingArtifactAndAnUnknownObjectStoreAreNamed() throws {
        let spec = Self.spec + "\n    - name: STORAGE_URI\n      value: \"{{inputs.artifacts.model}}\"\n"
        let template = Fixtures.template(spec: spec, parameters: Self.parameters, artifacts: ["model"])
        let missing = renderError(try Fixtures.input(template, Fixtures.configuration([:], artifacts: ["model": "nope"])))
        #expect(missing?.kind == .artifactNotFound)
        #expect(missing?.message.contains("\"nope\"") == true)
        let artifact = V1Alpha1.Artifact(metadata: ObjectMeta(name: "a1"), spec: V1Alpha1.ArtifactSpec(name: "m", url: "ai://elsewhere/m"))
        let secret = renderError(try Fixtures.input(template, Fixtures.configuration([:], artifacts: ["model": "a1"]), artifacts: [artifact]))
        #expect(secret?.kind == .objectStoreSecretNotFound)
        #expect(secret?.message.contains("\"elsewhere\"") == true)
    }

    @Test(arguments: [
        "predictor: &p\n  containers:\n  - name: c\n    image: i\nother: *p\n",
        "predictor:\n  containers:\n  - &c\n    name: c\n    image: i\n",
        "predictor:\n  containers:\n  - name: c\n    image: &i img\n    command: [*i]\n",
    ])
    func anchorsAndAliasesInTheTemplateAreRefused(_ spec: String) throws {
        let error = renderError(try Fixtures.input(Fixtures.template(spec: spec, parameters: []), Fixtures.configuration([:])))
        #expect(error?.kind == .yamlAnchorOrAlias)
    }

    @Test func aPlaceholderInAKeyIsRefused() throws {
        let spec = "predictor:\n  {{inputs.parameters.min}}: 1\n  containers:\n  - name: c\n    image: i\n"
        let error = renderError(try Fixtures.input(Fixtures.template(spec: spec, parameters: Self.parameters), Fixtures.configuration([:])))
        #expect(error?.kind == .placeholderInKey)
        #expect(error?.message.contains("{{inputs.parameters.min}}") == true)
    }

    @Test func explicitTagsAndMergeKeysAreRefused() throws {
        for spec in [
            "predictor:\n  minReplicas: !!str 1\n  containers:\n  - name: c\n    image: i\n",
            "predictor:\n  <<: {minReplicas: 1}\n  containers:\n  - name: c\n    image: i\n",
        ] {
            let error = renderError(try Fixtures.input(Fixtures.template(spec: spec, parameters: []), Fixtures.configuration([:])))
            #expect(error?.kind == .invalidTemplate, "\(spec)")
        }
    }

    /// A template given as structured objects (not YAML strings): placeholders are replaced as text.
    @Test func structuredTemplatesSubstituteText() throws {
        let template = V1Alpha1.ServingTemplate(
            metadata: ObjectMeta(name: "structured"),
            spec: V1Alpha1.ServingTemplateSpec(
                inputs: V1Alpha1.TemplateInputs(parameters: Self.parameters),
                template: V1Alpha1.WorkloadTemplate(
                    metadata: V1Alpha1.WorkloadTemplateMetadata(
                        annotations: ["note": "image {{inputs.parameters.image}}"], labels: ["tier": "t{{inputs.parameters.min}}"]),
                    spec: ["predictor": ["containers": [["name": "c", "image": "{{inputs.parameters.image}}"]]]])))
        let rendered = try render(Fixtures.input(template, Fixtures.configuration(["min": "5"])))
        #expect(rendered.inferenceService[path: ["spec", "predictor", "containers"]]?.arrayValue?.first?["image"] == "registry.example/img:1.0")
        #expect(rendered.inferenceService[path: ["metadata", "annotations", "note"]] == "image registry.example/img:1.0")
        #expect(rendered.inferenceService[path: ["metadata", "labels", "tier"]] == "t5")
    }

    @Test func anInvalidLabelValueNamesItsParameter() throws {
        let template = Fixtures.template(
            spec: "predictor:\n  containers:\n  - name: c\n    image: i\n",
            parameters: [V1Alpha1.TemplateParameter(name: "plan", default: "basic")],
            labels: .string("quiver.dev/resourcePlan: \"{{inputs.parameters.plan}}x\"\nother: \"{{inputs.parameters.plan}}\""))
        let error = renderError(try Fixtures.input(template, Fixtures.configuration(["plan": "a/b"])))
        #expect(error?.kind == .invalidValue)
        #expect(error?.field == "plan")
    }

    @Test func anUnknownResourcePlanIsNamed() throws {
        let template = Fixtures.template(
            spec: "predictor:\n  containers:\n  - name: c\n    image: i\n",
            parameters: [V1Alpha1.TemplateParameter(name: "plan", default: "basic")],
            labels: .string("ai.sap.com/resourcePlan: \"{{inputs.parameters.plan}}\""))
        let error = renderError(try Fixtures.input(template, Fixtures.configuration(["plan": "huge"])))
        #expect(error?.kind == .resourcePlanNotFound)
        #expect(error?.message.contains("\"huge\"") == true)
        #expect(error?.field == "plan")
    }

    @Test func yamlRoundTrip() throws {
        let value: JSONValue = ["a": "1", "b": 1, "c": "true", "d": ["x", 2.5, nil, false], "e": "", "f": "10Gi", "g": "2024-01-01"]
        #expect(try RenderYAML.parse(RenderYAML.emit(value)) == value)
    }
}
