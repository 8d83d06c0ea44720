#!/usr/bin/env python3
"""Offline checks of Ombud's deployment files that generic validators cannot make (deploy/validate runs them).

  check_manifests.py k8s BUILT.yaml --builtin-out FILE   custom resources against validate.d/schemas/<Kind>.json,
                                                          then Ombud's rules across documents; writes the built-in
                                                          kinds to FILE for kubernetes-validate
  check_manifests.py compose COMPOSE.yaml                what the compose-spec schema cannot say
  check_manifests.py dashboard DASHBOARD.json            JSON, datasource variable, panel ids
  check_manifests.py systemd DIR                         the stage template units' stop timeout, credentials, target
  check_manifests.py metrics FILE...                     every ombud_* metric named in rules and dashboards exists in
                                                          Sources/ (and every rabbitmq_* one is a per-object series)

Each prints one line per problem and exits 1 if there was any.
"""
import argparse
import json
import pathlib
import re
import sys

import jsonschema
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMAS = pathlib.Path(__file__).resolve().parent / "schemas"
STAGES = ["intake", "classify", "lookup", "resolve", "escalate"]
DEFAULT_BATCH = 64  # WorkerOptions: OMBUD_BATCH's default
SHUTDOWN_TIMEOUT = 25  # seconds; OMBUD_SHUTDOWN_TIMEOUT's default
# The console's database login is a member of this role only (migration 0010: the agents' rights and the ledger).
CONSOLE_ROLE = "ombud_console"
# The console's command-line checks, like the workers': readiness by default, liveness with --liveness.
CONSOLE_READINESS = ["ombud-console", "healthcheck"]
CONSOLE_LIVENESS = ["ombud-console", "healthcheck", "--liveness"]
# rabbitmq_prometheus's per-object queue series the rules and the dashboard may use.
RABBITMQ_METRICS = {"rabbitmq_queue_messages_ready", "rabbitmq_queue_messages_unacked", "rabbitmq_queue_messages",
                    "rabbitmq_queue_consumers", "rabbitmq_queue_messages_published_total"}
BUILTIN_GROUPS = {"", "apps", "batch", "policy", "networking.k8s.io", "rbac.authorization.k8s.io", "autoscaling"}

problems = []


def problem(where, text):
    problems.append(f"{where}: {text}")


def name_of(doc):
    return f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"


def api_group(doc):
    api = doc.get("apiVersion", "")
    return api.split("/")[0] if "/" in api else ""


# Pods ------------------------------------------------------------------------------------------------------------


def pod_spec(doc):
    if doc["kind"] in ("Deployment", "StatefulSet", "DaemonSet", "Job"):
        return doc["spec"]["template"]["spec"]
    if doc["kind"] == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return None


def check_restricted(doc, pod):
    """The restricted Pod Security Standard, for Ombud's own pods."""
    where = name_of(doc)
    psc = pod.get("securityContext", {})
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        if pod.get(key):
            problem(where, f"{key} is not allowed (restricted)")
    for volume in pod.get("volumes", []):
        if "hostPath" in volume:
            problem(where, f"hostPath volume {volume['name']} is not allowed (restricted)")
    for container in pod.get("initContainers", []) + pod.get("containers", []):
        csc = container.get("securityContext", {})
        cwhere = f"{where} container {container['name']}"
        if not (csc.get("runAsNonRoot", psc.get("runAsNonRoot")) is True):
            problem(cwhere, "runAsNonRoot must be true (pod or container securityContext)")
        if csc.get("runAsUser", psc.get("runAsUser")) == 0:
            problem(cwhere, "runAsUser 0 is not allowed")
        seccomp = csc.get("seccompProfile", psc.get("seccompProfile", {})).get("type")
        if seccomp not in ("RuntimeDefault", "Localhost"):
            problem(cwhere, "seccompProfile.type must be RuntimeDefault or Localhost")
        if csc.get("allowPrivilegeEscalation") is not False:
            problem(cwhere, "securityContext.allowPrivilegeEscalation must be false")
        if csc.get("privileged"):
            problem(cwhere, "privileged is not allowed")
        caps = csc.get("capabilities", {})
        if "ALL" not in caps.get("drop", []):
            problem(cwhere, "securityContext.capabilities.drop must include ALL")
        if set(caps.get("add", [])) - {"NET_BIND_SERVICE"}:
            problem(cwhere, "only NET_BIND_SERVICE may be added to capabilities")
        if csc.get("readOnlyRootFilesystem") is not True:
            problem(cwhere, "readOnlyRootFilesystem must be true (Ombud writes nothing but /tmp)")


def env_value(doc, container, name, docs):
    """A container's variable from env, else from its envFrom ConfigMaps in the same build."""
    for item in container.get("env", []):
        if item["name"] == name and "value" in item:
            return item["value"]
    for source in container.get("envFrom", []):
        ref = source.get("configMapRef", {}).get("name")
        for other in docs:
            if other["kind"] == "ConfigMap" and other["metadata"]["name"] == ref and name in other.get("data", {}):
                return other["data"][name]
    return None


def probe_path(container, probe):
    return container.get(probe, {}).get("httpGet", {}).get("path")


# Kubernetes ------------------------------------------------------------------------------------------------------


def check_k8s(built, builtin_out):
    docs = [d for d in yaml.safe_load_all(open(built)) if d]
    builtin, custom = [], []
    for doc in docs:
        (builtin if api_group(doc) in BUILTIN_GROUPS else custom).append(doc)
    with open(builtin_out, "w") as out:
        yaml.safe_dump_all(builtin, out, sort_keys=False)

    for doc in custom:
        schema_file = SCHEMAS / f"{doc['kind']}.json"
        if not schema_file.exists():
            problem(name_of(doc), f"no schema for custom kind {doc['kind']}: add {schema_file.relative_to(ROOT)}")
            continue
        validator = jsonschema.Draft202012Validator(json.load(open(schema_file)))
        for error in sorted(validator.iter_errors(doc), key=lambda e: list(e.path)):
            path = "/".join(str(p) for p in error.path) or "(document)"
            problem(name_of(doc), f"{path}: {error.message}")

    by_kind = {}
    for doc in docs:
        by_kind.setdefault(doc["kind"], {})[doc["metadata"]["name"]] = doc

    for doc in docs:
        pod = pod_spec(doc)
        if pod is not None:
            check_restricted(doc, pod)

    scaled_targets = {so["spec"]["scaleTargetRef"]["name"]: so for so in by_kind.get("ScaledObject", {}).values()}
    pdbs = list(by_kind.get("PodDisruptionBudget", {}).values())
    deployments = by_kind.get("Deployment", {})
    workers = {name: d for name, d in deployments.items()
               if d["metadata"].get("labels", {}).get("app.kubernetes.io/component") == "worker"}
    stages_seen = set()
    for name, deployment in workers.items():
        where = name_of(deployment)
        stage = deployment["metadata"]["labels"].get("ombud.io/stage")
        if stage not in STAGES:
            problem(where, f"label ombud.io/stage must be one of {STAGES}, got {stage!r}")
            continue
        stages_seen.add(stage)
        if "replicas" in deployment["spec"]:
            problem(where, "a worker Deployment must not set spec.replicas: its ScaledObject's HPA owns it")
        pod = deployment["spec"]["template"]["spec"]
        containers = {c["name"]: c for c in pod["containers"]}
        worker = containers.get("worker")
        if worker is None:
            problem(where, "has no container named worker")
            continue
        if worker.get("command") != [f"ombud-{stage}"]:
            problem(where, f"container worker must run [ombud-{stage}], runs {worker.get('command')}")
        if probe_path(worker, "livenessProbe") != "/healthz":
            problem(where, "livenessProbe must GET /healthz")
        if probe_path(worker, "readinessProbe") != "/readyz":
            problem(where, "readinessProbe must GET /readyz")
        grace = pod.get("terminationGracePeriodSeconds", 30)
        if grace < SHUTDOWN_TIMEOUT + 10:
            problem(where, f"terminationGracePeriodSeconds {grace} leaves no margin over the {SHUTDOWN_TIMEOUT}s drain (use 35)")
        env_names = {e["name"] for e in worker.get("env", [])}
        for secret in ("OMBUD_AMQP_URL", "OMBUD_DATABASE_URL"):
            if secret in env_names:
                problem(where, f"{secret} in plain env: use {secret}_FILE with a mounted Secret")
            if f"{secret}_FILE" not in env_names:
                problem(where, f"{secret}_FILE is not set")
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        if not any(all(labels.get(k) == v for k, v in pdb["spec"]["selector"].get("matchLabels", {}).items()) for pdb in pdbs):
            problem(where, "no PodDisruptionBudget selects its pods")

        so = scaled_targets.get(name)
        if so is None:
            problem(where, "no ScaledObject targets it")
            continue
        batch_text = env_value(deployment, worker, "OMBUD_BATCH", docs)
        batch = int(batch_text) if batch_text else DEFAULT_BATCH
        for trigger in so["spec"]["triggers"]:
            metadata = trigger.get("metadata", {})
            swhere = f"{name_of(so)} trigger {trigger.get('type')}"
            if metadata.get("queueName") != f"ombud.{stage}":
                problem(swhere, f"queueName must be ombud.{stage} (Topology.swift), got {metadata.get('queueName')!r}")
            value = str(metadata.get("value", ""))
            if not value.isdigit() or int(value) <= batch:
                problem(swhere, f"value {value!r} must be a whole number above the worker's batch size ({batch})")
            host = metadata.get("host", "")
            if "@" in host:
                problem(swhere, "host must not carry credentials: they come from the TriggerAuthentication")
            auth = trigger.get("authenticationRef", {}).get("name")
            if auth not in by_kind.get("TriggerAuthentication", {}):
                problem(swhere, f"authenticationRef {auth!r} names no TriggerAuthentication in the build")
    for target in scaled_targets:
        if target not in workers:
            problem(f"ScaledObject targeting {target}", "its target is not a worker Deployment in the build")
    for stage in STAGES:
        if stage not in stages_seen:
            problem("build", f"no worker Deployment for stage {stage}")

    policies = by_kind.get("Policy", {})
    if not policies:
        problem("build", "no RabbitMQ Policy for the stage queues")
    for policy in policies.values():
        pattern = re.compile(policy["spec"]["pattern"])
        for stage in STAGES:
            if not pattern.search(f"ombud.{stage}"):
                problem(name_of(policy), f"pattern does not match queue ombud.{stage}")
            if pattern.search(f"ombud.{stage}.parked"):
                problem(name_of(policy), f"pattern also matches the parked queue ombud.{stage}.parked")

    check_console_k8s(by_kind)

    rules_file = ROOT / "deploy/prometheus/ombud.rules.yml"
    plain = yaml.safe_load(open(rules_file))
    for rule in by_kind.get("PrometheusRule", {}).values():
        if rule["spec"] != plain:
            problem(name_of(rule), f"spec differs from {rules_file.relative_to(ROOT)} (keep the two the same)")
    if not by_kind.get("PrometheusRule"):
        problem("build", "no PrometheusRule")
    if "Job" not in by_kind or not any(j["spec"]["template"]["spec"]["containers"][0].get("command") == ["ombudctl", "migrate"]
                                       for j in by_kind["Job"].values()):
        problem("build", "no Job running ombudctl migrate")
    print(f"check_manifests: {built}: {len(docs)} documents, {len(custom)} custom resources, {len(workers)} workers")


def check_console_k8s(by_kind):
    """The console's Deployment and its database login in the CloudNativePG Cluster's managed roles."""
    deployment = by_kind.get("Deployment", {}).get("ombud-console")
    if deployment is None:
        problem("build", "no Deployment ombud-console")
        return
    where = name_of(deployment)
    pod = deployment["spec"]["template"]["spec"]
    console = next((c for c in pod["containers"] if c["name"] == "console"), None)
    if console is None:
        problem(where, "has no container named console")
        return
    env = {e["name"]: e for e in console.get("env", [])}
    for secret in ("OMBUD_AMQP_URL", "OMBUD_DATABASE_URL", "OMBUD_CONSOLE_SECRET"):
        if secret in env:
            problem(where, f"{secret} in plain env: use {secret}_FILE with a mounted Secret")
        if f"{secret}_FILE" not in env:
            problem(where, f"{secret}_FILE is not set (every replica needs the same CSRF key and its URLs)")
    for probe, command in (("readinessProbe", CONSOLE_READINESS), ("livenessProbe", CONSOLE_LIVENESS)):
        if console.get(probe, {}).get("exec", {}).get("command") != command:
            problem(where, f"{probe} must exec {command}: the console listens on loopback only")
    # Which Secret holds the console's database URL, and so which managed role is its login.
    mount = next((m for m in console.get("volumeMounts", [])
                  if "/var/run/secrets/ombud/database/url".startswith(m["mountPath"].rstrip("/") + "/")), None)
    volume = next((v for v in pod.get("volumes", []) if mount and v["name"] == mount["name"]), None)
    secret_name = (volume or {}).get("secret", {}).get("secretName")
    if secret_name is None:
        problem(where, "OMBUD_DATABASE_URL_FILE is not mounted from a Secret")
        return
    clusters = list(by_kind.get("Cluster", {}).values())
    for cluster in clusters:
        roles = cluster["spec"].get("managed", {}).get("roles", [])
        names = {r["name"] for r in roles}
        for role in roles:
            for parent in role.get("inRoles", []):
                if parent not in names and not parent.startswith("pg_"):
                    problem(name_of(cluster), f"role {role['name']} is in {parent}, which is not a managed role: "
                                              "it must exist when CloudNativePG reconciles, before the migrations run")
        logins = [r for r in roles if r.get("passwordSecret", {}).get("name") == secret_name]
        if len(logins) != 1:
            problem(name_of(cluster), f"expected one managed login with passwordSecret {secret_name} (the console's)")
            continue
        login = logins[0]
        if login["name"] == CONSOLE_ROLE or not login.get("login"):
            problem(name_of(cluster), f"the console's login {login['name']} must be a LOGIN role other than {CONSOLE_ROLE}")
        if login.get("inRoles") != [CONSOLE_ROLE]:
            problem(name_of(cluster), f"the console's login {login['name']} must be in [{CONSOLE_ROLE}] only "
                                      f"(migration 0010), is in {login.get('inRoles')}")
        if not any(r["name"] == CONSOLE_ROLE and not r.get("login") and "ombud_agent" in r.get("inRoles", [])
                   for r in roles):
            problem(name_of(cluster), f"{CONSOLE_ROLE} must be a managed NOLOGIN role in ombud_agent (migration 0010 "
                                      "grants it; CloudNativePG revokes memberships a managed role does not declare)")
    if not clusters:
        problem("build", "no CloudNativePG Cluster")


# Compose ---------------------------------------------------------------------------------------------------------


def seconds(text):
    match = re.fullmatch(r"(?:(\d+)m)?(?:(\d+)s)?", str(text))
    if not match or not any(match.groups()):
        return None
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)


def check_compose(path):
    compose = yaml.safe_load(open(path))
    services = compose.get("services", {})
    for stage in STAGES:
        service = services.get(stage)
        where = f"{path} service {stage}"
        if service is None:
            problem(where, "missing")
            continue
        if "container_name" in service or "ports" in service:
            problem(where, "container_name or ports would stop `--scale` from working")
        grace = seconds(service.get("stop_grace_period", "10s"))
        if grace is None or grace < SHUTDOWN_TIMEOUT + 5:
            problem(where, f"stop_grace_period must be at least {SHUTDOWN_TIMEOUT + 5}s (the drain is {SHUTDOWN_TIMEOUT}s)")
        test = service.get("healthcheck", {}).get("test")
        if test != ["CMD", f"ombud-{stage}", "healthcheck"]:
            problem(where, f"healthcheck must be [CMD, ombud-{stage}, healthcheck], is {test}")
        if service.get("command") != [f"ombud-{stage}"]:
            problem(where, f"command must be [ombud-{stage}]")
        env = service.get("environment", {})
        for secret in ("OMBUD_AMQP_URL", "OMBUD_DATABASE_URL"):
            if secret in env:
                problem(where, f"{secret} in plain environment: use {secret}_FILE and a secret")
            file = env.get(f"{secret}_FILE", "")
            if not file.startswith("/run/secrets/") or file.removeprefix("/run/secrets/") not in service.get("secrets", []):
                problem(where, f"{secret}_FILE must name one of the service's secrets under /run/secrets/")
        if service.get("user", "").split(":")[0] in ("", "0", "root"):
            problem(where, "must run as a non-root user")
    check_console_compose(path, services)
    print(f"check_manifests: {path}: {len(services)} services")


def check_console_compose(path, services):
    """The console service, its proxy's network, and its login in db-logins.sh."""
    where = f"{path} service console"
    console = services.get("console")
    if console is None:
        problem(where, "missing")
        return
    test = console.get("healthcheck", {}).get("test")
    if test != ["CMD", *CONSOLE_READINESS]:
        problem(where, f"healthcheck must be {['CMD', *CONSOLE_READINESS]} (readiness, like the workers'), is {test}")
    env = console.get("environment", {})
    for secret in ("OMBUD_AMQP_URL", "OMBUD_DATABASE_URL", "OMBUD_CONSOLE_SECRET"):
        if secret in env:
            problem(where, f"{secret} in plain environment: use {secret}_FILE and a secret")
        file = env.get(f"{secret}_FILE", "")
        if not file.startswith("/run/secrets/") or file.removeprefix("/run/secrets/") not in console.get("secrets", []):
            problem(where, f"{secret}_FILE must name one of the service's secrets under /run/secrets/")
    command = console.get("command", [])
    if "--trusted-proxy" not in command or "--host" not in command:
        problem(where, "oauth2-proxy is another container: the console needs --host 0.0.0.0 and --trusted-proxy "
                       "with the proxy's network range")
    proxy = services.get("oauth2-proxy", {})
    if set(proxy.get("networks", [])) - set(console.get("networks", [])):
        problem(f"{path} service oauth2-proxy", "must share its networks with the console")
    script = pathlib.Path(path).parent / "db-logins.sh"
    if not re.search(rf"^login db_url_console {CONSOLE_ROLE}$", script.read_text(), re.M):
        problem(script, f"the console's login must be made a member of {CONSOLE_ROLE} only: login db_url_console {CONSOLE_ROLE}")


# Grafana ---------------------------------------------------------------------------------------------------------


def check_dashboard(path):
    try:
        dashboard = json.load(open(path))
    except json.JSONDecodeError as error:
        problem(path, f"not JSON: {error}")
        return
    variables = {v["name"]: v for v in dashboard.get("templating", {}).get("list", [])}
    ds = variables.get("datasource")
    if not ds or ds.get("type") != "datasource" or ds.get("query") != "prometheus":
        problem(path, "needs a templating variable `datasource` of type datasource for prometheus")
    ids = set()
    for panel in dashboard.get("panels", []):
        where = f"{path} panel {panel.get('id')} {panel.get('title')!r}"
        if panel.get("id") in ids:
            problem(where, "duplicate panel id")
        ids.add(panel.get("id"))
        if panel.get("type") == "row":
            continue
        for holder in [panel] + panel.get("targets", []):
            if holder.get("datasource", {}).get("uid") != "${datasource}":
                problem(where, "datasource uid must be ${datasource}")
        if not panel.get("targets"):
            problem(where, "has no query")
    print(f"check_manifests: {path}: {len(ids)} panels")


# systemd ---------------------------------------------------------------------------------------------------------


def check_systemd(directory):
    directory = pathlib.Path(directory)
    if not (directory / "ombud.target").exists():
        problem(directory, "no ombud.target")
    for stage in STAGES:
        unit = directory / f"ombud-{stage}@.service"
        if not unit.exists():
            problem(unit, "missing")
            continue
        text = unit.read_text()
        for line in ("TimeoutStopSec=30", "KillSignal=SIGTERM", "PartOf=ombud.target", "WantedBy=ombud.target",
                     f"ExecStart=/opt/ombud/bin/ombud-{stage}", "Environment=OMBUD_HTTP_PORT=%i",
                     "Environment=OMBUD_AMQP_URL_FILE=%d/amqp_url", "Environment=OMBUD_DATABASE_URL_FILE=%d/database_url"):
            if not re.search(rf"^{re.escape(line)}$", text, re.M):
                problem(unit, f"needs the line {line}")
        if re.search(r"^Environment=OMBUD_(AMQP|DATABASE)_URL=", text, re.M):
            problem(unit, "a secret URL in Environment=: use LoadCredential= and the *_FILE variable")
    console = directory / "ombud-console.service"
    text = console.read_text() if console.exists() else ""
    for line in ("Environment=OMBUD_DATABASE_URL_FILE=%d/database_url", "Environment=OMBUD_CONSOLE_SECRET_FILE=%d/console_secret",
                 "LoadCredential=console_secret:/etc/ombud/credentials/console_secret"):
        if not re.search(rf"^{re.escape(line)}$", text, re.M):
            problem(console, f"needs the line {line}")
    print(f"check_manifests: {directory}: {len(STAGES)} stage units and the console's")


# Metric names ----------------------------------------------------------------------------------------------------


def source_metrics():
    names = set()
    for swift in (ROOT / "Sources").rglob("*.swift"):
        text = swift.read_text()
        for kind, name in re.findall(r"\b(Counter|FloatingPointCounter|Gauge|Meter|Timer|Recorder)\(label:\s*\"([a-zA-Z_:][a-zA-Z0-9_:]*)\"", text):
            names.add(name)
            if kind in ("Timer", "Recorder"):  # histograms in swift-prometheus
                names.update({f"{name}_bucket", f"{name}_sum", f"{name}_count"})
    return names


def check_metrics(files):
    known = source_metrics() | RABBITMQ_METRICS | {"up"}
    for path in files:
        text = pathlib.Path(path).read_text()
        try:
            if path.endswith(".json"):
                exprs = [t.get("expr", "") for p in json.loads(text).get("panels", []) for t in p.get("targets", [])]
            else:
                exprs = [r["expr"] for g in yaml.safe_load(text)["groups"] for r in g["rules"]]
        except (ValueError, KeyError, TypeError, yaml.YAMLError) as error:
            problem(path, f"cannot read its expressions: {error}")
            continue
        for expr in exprs:
            for name in re.findall(r"\b((?:ombud|rabbitmq)_[a-z0-9_]+)\s*[{\[(]", expr) + re.findall(r"\b(up)\{", expr):
                if name not in known:
                    problem(path, f"metric {name} is not exported (not in Sources/ nor a rabbitmq per-object series)")
        print(f"check_manifests: {path}: {len(exprs)} expressions")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    k8s = sub.add_parser("k8s")
    k8s.add_argument("built")
    k8s.add_argument("--builtin-out", required=True)
    sub.add_parser("compose").add_argument("file")
    sub.add_parser("dashboard").add_argument("file")
    sub.add_parser("systemd").add_argument("directory")
    sub.add_parser("metrics").add_argument("files", nargs="+")
    args = parser.parse_args()
    if args.command == "k8s":
        check_k8s(args.built, args.builtin_out)
    elif args.command == "compose":
        check_compose(args.file)
    elif args.command == "dashboard":
        check_dashboard(args.file)
    elif args.command == "systemd":
        check_systemd(args.directory)
    else:
        check_metrics(args.files)
    for line in problems:
        print(f"FAIL {line}", file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
