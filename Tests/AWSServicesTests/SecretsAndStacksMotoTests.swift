import AWSCore
import AWSServices
import Foundation
import JSONCore
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(5))) struct SecretsManagerMotoTests {
    @Test func getSecretValueByNameAndARN() async throws {
        let moto = try Moto()
        let env = moto.environment
        let name = env.uniqueName("secret")
        let secret = #"{"CLIENT_ID":"abc","TENANT":"acme"}"#
        let arn = try await moto.seeder.createSecret(secret, name: name).arn
        try await moto.with(env.receiver) { receiver in
            let manager = SecretsManager(client: receiver)
            let byName = try await manager.getSecretValue(secretId: name)
            #expect(byName.name == name && byName.arn == arn && byName.secretString == secret)
            let byARN = try await manager.getSecretValue(secretId: arn)
            #expect(byARN.name == name)
            let missing = await #expect(throws: AWSError.self) {
                try await manager.getSecretValue(secretId: env.uniqueName("missing"))
            }
            #expect(missing?.code == "ResourceNotFoundException")  // moto: 404, AWS: 400
        }
        let denied = await #expect(throws: AWSError.self) {
            try await moto.with(env.restricted) { try await SecretsManager(client: $0).getSecretValue(secretId: name) }
        }
        #expect(denied?.isAccessDenied == true)
        #expect(denied?.description.contains("secretsmanager:GetSecretValue") == true)
    }
}

@Suite(.timeLimit(.minutes(5))) struct CloudFormationMotoTests {
    @Test func describeStacksReadsOutputsAndParameters() async throws {
        let moto = try Moto()
        let env = moto.environment
        let name = env.uniqueName("stack")
        let template = """
            {"AWSTemplateFormatVersion":"2010-09-09",
             "Parameters":{"CatalogHost":{"Type":"String"}},
             "Resources":{"Queue":{"Type":"AWS::SQS::Queue","Properties":{"QueueName":"\(name)-q"}}},
             "Outputs":{"QuiltWebHost":{"Value":{"Ref":"CatalogHost"}},
                        "UserAthenaDatabaseName":{"Value":"userdb_x"},
                        "QueueUrl":{"Value":{"Ref":"Queue"}}}}
            """
        let stackId = try await moto.with(env.admin) { admin in
            let answer = try await admin.queryRequest(
                service: "cloudformation", action: "CreateStack",
                version: CloudFormation.apiVersion,
                params: [
                    "StackName": name, "TemplateBody": template,
                    "Parameters.member.1.ParameterKey": "CatalogHost",
                    "Parameters.member.1.ParameterValue": "catalog.example.com",
                ])
            return answer.descendant(["CreateStackResult", "StackId"])?.text ?? ""
        }
        #expect(stackId.hasPrefix("arn:aws:cloudformation:\(env.region):"))
        try await moto.with(env.receiver) { receiver in
            let cloudFormation = CloudFormation(client: receiver)
            for id in [name, stackId] {
                let stack = try #require(try await cloudFormation.describeStacks(stackName: id).first)
                #expect(stack.name == name && stack.id == stackId)
                #expect(stack.status == "CREATE_COMPLETE")
                #expect(stack.outputs["QuiltWebHost"] == "catalog.example.com")
                #expect(stack.outputs["UserAthenaDatabaseName"] == "userdb_x")
                #expect(stack.outputs["QueueUrl"]?.hasSuffix("\(name)-q") == true)
                #expect(stack.parameters == ["CatalogHost": "catalog.example.com"])
            }
            let missing = await #expect(throws: AWSError.self) {
                try await cloudFormation.describeStacks(stackName: env.uniqueName("nostack"))
            }
            #expect(missing?.code == "ValidationError")
        }
    }
}
