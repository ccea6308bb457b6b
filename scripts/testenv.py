#!/usr/bin/env python3
"""Start and stop the loopback stand-ins the test suite talks to.

`up` starts moto with SigV4 signature checks and IAM enforcement switched on
(INITIAL_NO_AUTH_ACTION_COUNT=3), spends those three unchecked requests on an
admin user, then creates one IAM user per component whose inline policy is the
task-role policy of ops/template.yaml, resolved to the test resource names
(every test resource is called bq-test-*). It writes .testenv/env.json, which
Tests/TestSupport reads. `up` on a running server (and `sync-policies`) only
re-applies the template's current policies to those users. `down` stops what
`up` started, by PID. `task-definitions SUBSTITUTIONS.json` prints each task
definition's containers (Environment, Command, MountPoints, PortMappings,
HealthCheck) resolved with the given stand-ins for parameters and resources:
the tests start the real executables with exactly that wiring. `event-rules
SUBSTITUTIONS.json` prints each EventBridge rule's EventPattern, resolved the
same way, so a test can route events on moto exactly as the template does.
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3
import yaml

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / ".testenv"
ENV_FILE = STATE / "env.json"
PID_FILE = STATE / "moto.pid"
REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account
TEST_PATTERN = "bq-test-*"

# How template references resolve in tests. moto enforces resource ARNs for S3
# and SQS only; Secrets Manager, CloudFormation, Athena and Glue statements are
# checked against "*" (see docs/testing), so those resolve to "*" and the action
# is still checked.
WIDENED_ARN_PREFIXES = ("arn:aws:athena:", "arn:aws:glue:")
REFS = {
    "AWS::Partition": "aws",
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT,
    "UserBucket": TEST_PATTERN,
    "PackagePrefix": "benchling",
    "BenchlingSecretARN": "*",
    "QuiltStackARN": "*",
    # Not a bq-test-* pattern: that would widen the worker's object access in every test bucket.
    "AthenaResultsBucket": "bq-athena-results",
    "QuiltAthenaDatabase": "bq-test-athena",
    "QuiltAthenaWorkgroup": "primary",
    "HostedZoneId": "",
    "AlarmEmail": "",
    "AWS::NoValue": None,
}
GETATTS = {
    "Queue.Arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{TEST_PATTERN}",
    "DeadLetterQueue.Arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{TEST_PATTERN}",
    "PackageEventQueue.Arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{TEST_PATTERN}",
    "PackageEventDeadLetterQueue.Arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{TEST_PATTERN}",
    # No test talks to EFS; the statement is kept so the policy is the template's, whole.
    "JobLogFileSystem.Arn": f"arn:aws:elasticfilesystem:{REGION}:{ACCOUNT}:file-system/fs-test",
}
COMPONENT_ROLES = {"receiver": "ReceiverTaskRole", "worker": "WorkerTaskRole"}


class Tagged:
    def __init__(self, tag, value):
        self.tag, self.value = tag, value


def _loader():
    class Loader(yaml.SafeLoader):
        pass

    for tag in ("!Ref", "!Sub", "!GetAtt", "!Join", "!Select", "!If", "!Equals", "!Not", "!And", "!Or",
                "!Condition", "!FindInMap", "!Split"):
        def construct(loader, node, tag=tag):
            if isinstance(node, yaml.ScalarNode):
                return Tagged(tag, loader.construct_scalar(node))
            if isinstance(node, yaml.SequenceNode):
                return Tagged(tag, loader.construct_sequence(node, deep=True))
            return Tagged(tag, loader.construct_mapping(node, deep=True))
        Loader.add_constructor(tag, construct)
    return Loader


class Resolver:
    """Resolves the intrinsic functions the template's policies and task definitions use, with `refs` standing
    in for parameters and resources, `getatts` for attributes, and the template's own Conditions."""

    def __init__(self, template, refs=REFS, getatts=GETATTS, widen=True):
        self.template, self.refs, self.getatts, self.widen = template, refs, getatts, widen

    def ref(self, name):
        if name not in self.refs:
            raise SystemExit(f"testenv: no test stand-in for !Ref {name} (add one where the test substitutes it)")
        return self.refs[name]

    def getatt(self, name):
        if name not in self.getatts:
            raise SystemExit(f"testenv: no test stand-in for !GetAtt {name}")
        return self.getatts[name]

    def condition(self, name):
        return self.truth(self.template["Conditions"][name])

    def truth(self, value):
        if isinstance(value, Tagged):
            if value.tag == "!Equals":
                left, right = (self.resolve(v) for v in value.value)
                return left == right
            if value.tag == "!Not":
                return not self.truth(value.value[0])
            if value.tag == "!And":
                return all(self.truth(v) for v in value.value)
            if value.tag == "!Or":
                return any(self.truth(v) for v in value.value)
            if value.tag == "!Condition":
                return self.condition(value.value)
        if isinstance(value, dict) and "Condition" in value:
            return self.condition(value["Condition"])
        raise ValueError(f"unsupported condition {value!r}")

    def sub(self, text, variables):
        def replace(match):
            name = match.group(1)
            if name in variables:
                return str(variables[name])
            return str(self.getatt(name) if "." in name and not name.startswith("AWS::") else self.ref(name))
        return re.sub(r"\$\{([^}!]+)\}", replace, text)

    def resolve(self, value):
        if isinstance(value, Tagged):
            if value.tag == "!Ref":
                return self.ref(value.value)
            if value.tag == "!GetAtt":
                return self.getatt(value.value if isinstance(value.value, str) else ".".join(value.value))
            if value.tag == "!Sub":
                if isinstance(value.value, list):
                    text, variables = value.value[0], {k: self.resolve(v) for k, v in value.value[1].items()}
                else:
                    text, variables = value.value, {}
                text = self.sub(text, variables)
                return "*" if self.widen and text.startswith(WIDENED_ARN_PREFIXES) else text
            if value.tag == "!If":
                name, when_true, when_false = value.value
                return self.resolve(when_true if self.condition(name) else when_false)
            if value.tag == "!Select":
                index, items = value.value
                return self.resolve(items)[int(index)]
            if value.tag == "!Join":
                separator, items = value.value
                return separator.join(str(v) for v in self.resolve(items))
            raise ValueError(f"unsupported intrinsic {value.tag}")
        if isinstance(value, dict):
            if "Ref" in value:
                return self.ref(value["Ref"])
            if "Fn::GetAtt" in value:
                return self.getatt(".".join(value["Fn::GetAtt"]))
            resolved = {k: self.resolve(v) for k, v in value.items()}
            return {k: v for k, v in resolved.items() if v is not None}
        if isinstance(value, list):
            return [v for v in (self.resolve(v) for v in value) if v is not None]
        return value


def load_template():
    return yaml.load((ROOT / "ops" / "template.yaml").read_text(), Loader=_loader())


def resolve(value):
    """Resolve a policy fragment with the test stand-ins (kept for callers of the module)."""
    return Resolver(load_template()).resolve(value)


def task_definitions(substitutions):
    """Each ECS task definition's containers, resolved with `substitutions` (parameter and resource names, and
    "Resource.Attribute" for attributes) over the test defaults."""
    template = load_template()
    # Only the pseudo parameters have defaults here: every other reference must be substituted by the caller
    # (the policies' widened test values, such as "*", are no environment values).
    pseudo = {k: v for k, v in REFS.items() if k.startswith("AWS::")}
    refs = dict(pseudo, **{k: v for k, v in substitutions.items() if "." not in k or k.startswith("AWS::")})
    getatts = {k: v for k, v in substitutions.items() if "." in k and not k.startswith("AWS::")}
    resolver = Resolver(template, refs, getatts, widen=False)
    result = {}
    for name, resource in template["Resources"].items():
        if resource["Type"] != "AWS::ECS::TaskDefinition":
            continue
        for container in resource["Properties"]["ContainerDefinitions"]:
            resolved = {key: resolver.resolve(container[key])
                        for key in ("Environment", "Command", "MountPoints", "PortMappings", "HealthCheck")
                        if key in container}
            resolved["TaskDefinition"] = name
            resolved["Environment"] = {item["Name"]: item["Value"] for item in resolved.get("Environment", [])}
            result[container["Name"]] = resolved
    return result


def event_rules(substitutions):
    """Each AWS::Events::Rule's EventPattern, resolved with `substitutions` as in task_definitions."""
    template = load_template()
    pseudo = {k: v for k, v in REFS.items() if k.startswith("AWS::")}
    refs = dict(pseudo, **{k: v for k, v in substitutions.items() if "." not in k or k.startswith("AWS::")})
    getatts = {k: v for k, v in substitutions.items() if "." in k and not k.startswith("AWS::")}
    resolver = Resolver(template, refs, getatts, widen=False)
    return {name: {"EventPattern": resolver.resolve(resource["Properties"]["EventPattern"])}
            for name, resource in template["Resources"].items() if resource["Type"] == "AWS::Events::Rule"}


def template_policies():
    template = load_template()
    policies = {}
    for component, role in COMPONENT_ROLES.items():
        resolver = Resolver(template)
        documents = [p["PolicyDocument"] for p in resolver.resolve(template["Resources"][role]["Properties"]["Policies"])]
        statements = [s for d in documents for s in d["Statement"]]
        policies[component] = {"Version": "2012-10-17", "Statement": statements}
    return policies


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def wait_ready(endpoint, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            # /moto-api/config is small; data.json dumps every resource and grows slow after a few test runs,
            # which made `up` think a busy, healthy server was gone and restart it.
            with urllib.request.urlopen(endpoint + "/moto-api/config", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"moto did not become ready at {endpoint} within {timeout}s")


def up():
    if ENV_FILE.exists() and PID_FILE.exists() and alive(int(PID_FILE.read_text())):
        env = json.loads(ENV_FILE.read_text())
        try:
            wait_ready(env["awsEndpoint"], timeout=5)
            print(f"testenv: already up at {env['awsEndpoint']}")
            sync_policies()
            return
        except SystemExit:
            down()
    STATE.mkdir(exist_ok=True)
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log = open(STATE / "moto.log", "wb")
    proc_env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT="3", MOTO_ALLOW_NONEXISTENT_REGION="false")
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env=proc_env, start_new_session=True,
    )
    PID_FILE.write_text(str(proc.pid))
    wait_ready(endpoint)

    # The three unchecked requests: an admin user, its key, an allow-all policy.
    bootstrap = boto3.client("iam", endpoint_url=endpoint, region_name=REGION,
                             aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
    bootstrap.create_user(UserName="admin")
    key = bootstrap.create_access_key(UserName="admin")["AccessKey"]
    bootstrap.put_user_policy(UserName="admin", PolicyName="admin", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    admin = {"accessKeyId": key["AccessKeyId"], "secretAccessKey": key["SecretAccessKey"]}

    iam = boto3.client("iam", endpoint_url=endpoint, region_name=REGION,
                       aws_access_key_id=admin["accessKeyId"], aws_secret_access_key=admin["secretAccessKey"])
    users = {"admin": admin}
    policies = template_policies()
    for name in ("receiver", "worker", "restricted"):
        iam.create_user(UserName=name)
        if name in policies:
            iam.put_user_policy(UserName=name, PolicyName=f"{name}-task-role",
                                PolicyDocument=json.dumps(policies[name]))
        k = iam.create_access_key(UserName=name)["AccessKey"]
        users[name] = {"accessKeyId": k["AccessKeyId"], "secretAccessKey": k["SecretAccessKey"]}

    env = {
        "awsEndpoint": endpoint,
        "region": REGION,
        "accountId": ACCOUNT,
        "python": sys.executable,
        "credentials": users,
        "policies": policies,
    }
    ENV_FILE.write_text(json.dumps(env, indent=2))
    print(f"testenv: moto (signatures + IAM enforced) at {endpoint}, pid {proc.pid}; wrote {ENV_FILE.relative_to(ROOT)}")


def sync_policies():
    """Give the running moto's component users the template's current task-role policies (idempotent: the
    inline policy is replaced), so a template change reaches the shared server without a restart."""
    env = json.loads(ENV_FILE.read_text())
    admin = env["credentials"]["admin"]
    iam = boto3.client("iam", endpoint_url=env["awsEndpoint"], region_name=REGION,
                       aws_access_key_id=admin["accessKeyId"], aws_secret_access_key=admin["secretAccessKey"])
    policies = template_policies()
    for name, policy in policies.items():
        iam.put_user_policy(UserName=name, PolicyName=f"{name}-task-role", PolicyDocument=json.dumps(policy))
    env["policies"] = policies
    ENV_FILE.write_text(json.dumps(env, indent=2))
    print(f"testenv: policies of {', '.join(sorted(policies))} updated from ops/template.yaml")


def down():
    if PID_FILE.exists():
        pid = int(PID_FILE.read_text())
        if alive(pid):
            os.killpg(pid, signal.SIGTERM)
            for _ in range(50):
                if not alive(pid):
                    break
                time.sleep(0.1)
            else:
                os.killpg(pid, signal.SIGKILL)
        PID_FILE.unlink()
        print(f"testenv: stopped moto (pid {pid})")
    if ENV_FILE.exists():
        ENV_FILE.unlink()


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "up"
    if command == "up":
        up()
    elif command == "down":
        down()
    elif command == "policies":
        print(json.dumps(template_policies(), indent=2))
    elif command == "sync-policies":
        sync_policies()
    elif command == "task-definitions":
        substitutions = json.loads(Path(sys.argv[2]).read_text()) if len(sys.argv) > 2 else {}
        print(json.dumps(task_definitions(substitutions), indent=2))
    elif command == "event-rules":
        substitutions = json.loads(Path(sys.argv[2]).read_text()) if len(sys.argv) > 2 else {}
        print(json.dumps(event_rules(substitutions), indent=2))
    else:
        raise SystemExit(
            "usage: scripts/testenv.py up|down|policies|sync-policies|task-definitions|event-rules [SUBSTITUTIONS.json]")
