"""python-notes: a Compensa sample plugin in Python, with no SDK, from the .proto files alone.

It follows docs/protocol.md: checks the magic cookie, listens on a Unix socket (when the host
gives PLUGIN_UNIX_SOCKET_DIR) or on TCP 127.0.0.1 in the host's port range, with AutoMTLS when the
host sends its certificate (PLUGIN_CLIENT_CERT), prints the handshake line, serves health ("plugin" = SERVING), plugin.GRPCController, plugin.GRPCStdio, server
reflection and compensa.v1 (PluginService, DriverService, FinalizerService), logs hclog JSON lines
on stderr, and exits when its host is gone.

Resource type pynotes_note (config {"title": str, "body": str}): a JSON file per note,
<root>/<id>.json, where the id is the title made file-safe. The host undoes every action with
inverse calls (HOST_INVERSE). FinalizeApply writes <root>/.finalized/<plan id>.json listing the
outcomes it was given.
"""

import base64
import datetime
import hashlib
import json
import os
import random
import re
import signal
import sys
import threading
import time
from concurrent import futures

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "gen"))

import grpc  # noqa: E402
from google.protobuf import any_pb2, json_format, struct_pb2  # noqa: E402
from google.rpc import code_pb2, status_pb2  # noqa: E402
from grpc_health.v1 import health, health_pb2, health_pb2_grpc  # noqa: E402
from grpc_reflection.v1alpha import reflection  # noqa: E402
from grpc_status import rpc_status  # noqa: E402

from compensa.v1 import (  # noqa: E402
    driver_service_pb2,
    driver_service_pb2_grpc,
    error_pb2,
    finalizer_service_pb2,
    finalizer_service_pb2_grpc,
    manifest_pb2,
    outcome_pb2,
    plan_pb2,
    plugin_service_pb2,
    plugin_service_pb2_grpc,
    resource_pb2,
)
from plugin import (  # noqa: E402
    grpc_controller_pb2,
    grpc_controller_pb2_grpc,
    grpc_stdio_pb2_grpc,
)

NAME = "python-notes"
VERSION = "0.1.0"
NOTE_TYPE = "pynotes_note"
COOKIE_KEY = "COMPENSA_PLUGIN_MAGIC_COOKIE"
COOKIE_VALUE = "d3c1f0a7e5b94c2e8a6b1f0e9d7c3a52"
SUPPORTED_VERSIONS = (1,)
LEDGER_DIR = ".ledger"
FINALIZED_DIR = ".finalized"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")

# ---- logging: hclog's JSON line format on stderr --------------------------------------------

_LEVELS = {"trace": 0, "debug": 1, "info": 2, "warn": 3, "error": 4}
_min_level = _LEVELS.get(os.environ.get("COMPENSA_LOG_LEVEL", "info").lower(), 2)
_log_lock = threading.Lock()


def log(level, message, **fields):
    if _LEVELS[level] < _min_level:
        return
    now = datetime.datetime.now(datetime.timezone.utc)
    line = {
        "@level": level,
        "@message": message,
        "@module": NAME,
        "@timestamp": now.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
    }
    line.update({key: value for key, value in fields.items()})
    text = json.dumps(line, ensure_ascii=True, default=str)
    with _log_lock:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()


# ---- errors ---------------------------------------------------------------------------------


class DriverFailure(Exception):
    """A driver error: becomes a gRPC status with a compensa.v1.DriverError detail."""

    def __init__(self, code, message, retryable=False):
        super().__init__(message)
        self.code = code
        self.message = message
        self.retryable = retryable


def abort(context, failure):
    detail = any_pb2.Any()
    detail.Pack(error_pb2.DriverError(message=failure.message, retryable=failure.retryable))
    status = status_pb2.Status(
        code=failure.code.value[0], message=failure.message, details=[detail]
    )
    context.abort_with_status(rpc_status.to_status(status))


def driver_call(method):
    """Turns DriverFailure (and unexpected errors) into gRPC statuses with a DriverError."""

    def wrapper(self, request, context):
        try:
            return method(self, request, context)
        except DriverFailure as failure:
            log("warn", "call failed", call=method.__name__, error=failure.message)
            abort(context, failure)
        except OSError as error:
            log("error", "call failed", call=method.__name__, error=str(error))
            abort(context, DriverFailure(grpc.StatusCode.UNAVAILABLE, str(error), retryable=True))

    wrapper.__name__ = method.__name__
    return wrapper


# ---- storage --------------------------------------------------------------------------------


def write_atomically(path, data):
    tmp = "%s.tmp-%d-%d" % (path, os.getpid(), threading.get_ident())
    with open(tmp, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def note_id(title):
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:100]
    if not slug:
        raise DriverFailure(
            grpc.StatusCode.INVALID_ARGUMENT,
            "%s title %r has no letters or digits to name its file" % (NOTE_TYPE, title),
        )
    return slug


def parse_config(config):
    fields = json_format.MessageToDict(config) if config is not None else {}
    title, body = fields.get("title"), fields.get("body")
    if not isinstance(title, str) or not title.strip():
        raise DriverFailure(
            grpc.StatusCode.INVALID_ARGUMENT, '%s config needs "title" (a non-empty string)' % NOTE_TYPE
        )
    if not isinstance(body, str):
        raise DriverFailure(grpc.StatusCode.INVALID_ARGUMENT, '%s config needs "body" (a string)' % NOTE_TYPE)
    return title, body


def check_type(resource_type):
    if resource_type != NOTE_TYPE:
        raise DriverFailure(
            grpc.StatusCode.INVALID_ARGUMENT,
            "unknown resource type %r: python-notes drives %s" % (resource_type, NOTE_TYPE),
        )


def struct(values):
    result = struct_pb2.Struct()
    result.update(values)
    return result


class NoteStore:
    def __init__(self, root):
        self.root = root  # None when the plugin was started without its configuration
        self.lock = threading.Lock()

    def require_root(self):
        """Fails FAILED_PRECONDITION, naming the variable, when there is no root (Describe works)."""
        if self.root is None:
            raise DriverFailure(
                grpc.StatusCode.FAILED_PRECONDITION,
                'python-notes has no root directory: start it with COMPENSA_PLUGIN_CONFIG={"root": "/absolute/dir"}',
            )

    def path(self, nid):
        return os.path.join(self.root, nid + ".json")

    def load(self, nid):
        try:
            with open(self.path(nid), "rb") as source:
                note = json.loads(source.read().decode("utf-8"))
        except FileNotFoundError:
            return None
        except ValueError as error:
            raise DriverFailure(grpc.StatusCode.DATA_LOSS, "note file %s is not JSON: %s" % (self.path(nid), error))
        return note

    def save(self, nid, title, body):
        data = json.dumps({"title": title, "body": body}, ensure_ascii=False, indent=2) + "\n"
        write_atomically(self.path(nid), data.encode("utf-8"))

    def remove(self, nid):
        try:
            os.remove(self.path(nid))
        except FileNotFoundError:
            pass

    def output(self, nid, note):
        return resource_pb2.ResourceOutput(
            provider_id=nid,
            outputs=struct(
                {"id": nid, "title": note["title"], "body": note["body"], "path": self.path(nid)}
            ),
        )

    def ledger_path(self, action_id):
        return os.path.join(self.root, LEDGER_DIR, hashlib.sha256(action_id.encode("utf-8")).hexdigest())

    def created_by(self, action_id, nid):
        if not action_id:
            return False
        try:
            with open(self.ledger_path(action_id), "r", encoding="utf-8") as source:
                return source.read() == nid
        except FileNotFoundError:
            return False

    def record_creation(self, action_id, nid):
        if action_id:
            write_atomically(self.ledger_path(action_id), nid.encode("utf-8"))


def id_from(provider_id, config):
    if provider_id:
        if not ID_PATTERN.match(provider_id):
            raise DriverFailure(
                grpc.StatusCode.INVALID_ARGUMENT, "provider id %r is not one python-notes made" % provider_id
            )
        return provider_id
    title, _ = parse_config(config)
    return note_id(title)


# ---- services -------------------------------------------------------------------------------


class PluginService(plugin_service_pb2_grpc.PluginServiceServicer):
    def Describe(self, request, context):
        policies = manifest_pb2.CompensationPolicies(
            create=manifest_pb2.COMPENSATION_POLICY_HOST_INVERSE,
            update=manifest_pb2.COMPENSATION_POLICY_HOST_INVERSE,
            delete=manifest_pb2.COMPENSATION_POLICY_HOST_INVERSE,
        )
        note = manifest_pb2.ResourceType(
            name=NOTE_TYPE,
            description="A note (title and body) stored as a JSON file under the plugin's root.",
            operations=[
                manifest_pb2.OPERATION_CREATE,
                manifest_pb2.OPERATION_READ,
                manifest_pb2.OPERATION_UPDATE,
                manifest_pb2.OPERATION_DELETE,
                manifest_pb2.OPERATION_DIFF,
            ],
            compensation=policies,
            # the second changes the note in place, so conformance checks Update too
            sample_configs=[
                struct({"title": "Compensa sample", "body": "hello from Python"}),
                struct({"title": "Compensa sample", "body": "hello again from Python"}),
            ],
        )
        return plugin_service_pb2.DescribeResponse(
            manifest=manifest_pb2.Manifest(
                name=NAME,
                version=VERSION,
                contract_version="v1",
                resource_types=[note],
                capabilities=[manifest_pb2.PLUGIN_CAPABILITY_FINALIZER],
            )
        )


class DriverService(driver_service_pb2_grpc.DriverServiceServicer):
    def __init__(self, store):
        self.store = store

    @driver_call
    def Create(self, request, context):
        self.store.require_root()
        check_type(request.resource.type)
        title, body = parse_config(request.resource.config)
        nid = note_id(title)
        store = self.store
        with store.lock:
            existing = store.load(nid)
            if store.created_by(request.action_id, nid):
                if existing is not None:
                    log("info", "create retried, returning what this action created", id=nid, action=request.action_id)
                    return driver_service_pb2.CreateResponse(output=store.output(nid, existing))
            elif existing is not None:
                raise DriverFailure(
                    grpc.StatusCode.ALREADY_EXISTS,
                    "note %r already exists and action %r did not create it: delete it or choose another title"
                    % (nid, request.action_id),
                )
            # the ledger first: a crash between the two leaves a retry that completes the creation
            store.record_creation(request.action_id, nid)
            store.save(nid, title, body)
        log("info", "created note", id=nid, action=request.action_id)
        return driver_service_pb2.CreateResponse(output=store.output(nid, {"title": title, "body": body}))

    @driver_call
    def Read(self, request, context):
        self.store.require_root()
        check_type(request.resource.type)
        nid = id_from(request.provider_id, request.resource.config)
        with self.store.lock:
            note = self.store.load(nid)
        if note is None:
            return driver_service_pb2.ReadResponse(exists=False)
        return driver_service_pb2.ReadResponse(
            exists=True,
            output=self.store.output(nid, note),
            observed_config=struct({"title": note["title"], "body": note["body"]}),
        )

    @driver_call
    def Update(self, request, context):
        self.store.require_root()
        check_type(request.resource.type)
        title, body = parse_config(request.resource.config)
        nid = note_id(title)
        prior = request.prior
        if prior.output.provider_id or prior.HasField("config"):
            prior_id = id_from(prior.output.provider_id, prior.config)
            if prior_id != nid:
                raise DriverFailure(
                    grpc.StatusCode.INVALID_ARGUMENT,
                    "a note's title names its file: %r cannot become %r in place, replace it" % (prior_id, nid),
                )
        with self.store.lock:
            if self.store.load(nid) is None:
                raise DriverFailure(grpc.StatusCode.NOT_FOUND, "note %r does not exist: create it first" % nid)
            self.store.save(nid, title, body)
        log("info", "updated note", id=nid, action=request.action_id)
        return driver_service_pb2.UpdateResponse(output=self.store.output(nid, {"title": title, "body": body}))

    @driver_call
    def Delete(self, request, context):
        self.store.require_root()
        check_type(request.state.type)
        nid = id_from(request.state.output.provider_id, request.state.config)
        with self.store.lock:
            self.store.remove(nid)
        log("info", "deleted note", id=nid, action=request.action_id)
        return driver_service_pb2.DeleteResponse()

    @driver_call
    def Diff(self, request, context):
        check_type(request.desired.type)
        title, body = parse_config(request.desired.config)
        Change = driver_service_pb2.DiffResponse
        if not request.prior.HasField("config"):
            return Change(change=Change.CHANGE_REPLACE, replace_keys=["title"])
        prior_title, prior_body = parse_config(request.prior.config)
        if note_id(prior_title) != note_id(title):
            return Change(change=Change.CHANGE_REPLACE, replace_keys=["title"])
        changed = [key for key, old, new in (("title", prior_title, title), ("body", prior_body, body)) if old != new]
        if changed:
            return Change(change=Change.CHANGE_UPDATE, changed_keys=changed)
        return Change(change=Change.CHANGE_NONE)


class FinalizerService(finalizer_service_pb2_grpc.FinalizerServiceServicer):
    """Writes <root>/.finalized/<plan id>.json with the outcomes it saw; never reports errors."""

    def __init__(self, store):
        self.store = store

    def FinalizeApply(self, request, context):
        if self.store.root is None:
            log("warn", "no root directory: the finalize summary is not written")
            return finalizer_service_pb2.FinalizeApplyResponse()
        plan_id = request.plan_id or "unnamed-plan"
        safe = plan_id if re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", plan_id) else (
            hashlib.sha256(plan_id.encode("utf-8")).hexdigest())
        summary = {
            "plan_id": plan_id,
            "finalized_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
            "outcomes": [
                {
                    "action_id": outcome.action_id,
                    "resource_name": outcome.resource_name,
                    "kind": plan_pb2.ActionKind.Name(outcome.kind),
                    "status": outcome_pb2.ActionStatus.Name(outcome.status),
                }
                for outcome in request.outcomes
            ],
        }
        path = os.path.join(self.store.root, FINALIZED_DIR, safe + ".json")
        try:
            write_atomically(path, (json.dumps(summary, indent=2) + "\n").encode("utf-8"))
            log("info", "finalized apply", plan=plan_id, outcomes=len(request.outcomes), path=path)
        except OSError as error:
            # a summary is a courtesy: losing it must not fail the apply
            log("warn", "could not write the finalize summary", plan=plan_id, error=str(error))
        return finalizer_service_pb2.FinalizeApplyResponse()


class Controller(grpc_controller_pb2_grpc.GRPCControllerServicer):
    def __init__(self, stop):
        self.stop = stop

    def Shutdown(self, request, context):
        log("info", "shutdown requested by the host")
        threading.Thread(target=self.stop, name="shutdown", daemon=True).start()
        return grpc_controller_pb2.Empty()


class Stdio(grpc_stdio_pb2_grpc.GRPCStdioServicer):
    """go-plugin's stdio stream: kept open, sends nothing (we log to stderr directly)."""

    def __init__(self, stopping):
        self.stopping = stopping

    def StreamStdio(self, request, context):
        while context.is_active() and not self.stopping.wait(0.5):
            pass
        return
        yield  # a generator: a server stream that ends without messages


# ---- launch protocol ------------------------------------------------------------------------


def choose_version():
    offered = []
    for part in os.environ.get("PLUGIN_PROTOCOL_VERSIONS", "").split(","):
        try:
            offered.append(int(part.strip()))
        except ValueError:
            pass
    common = [version for version in offered if version in SUPPORTED_VERSIONS]
    # none in common: answer our lowest and let the host report the mismatch
    return max(common) if common else min(SUPPORTED_VERSIONS)


def auto_mtls():
    """(server credentials, handshake field) when the host asked for AutoMTLS, else (None, None).

    As go-plugin does it (docs/protocol.md, section 2a): a throwaway self-signed ECDSA P-256
    certificate for localhost, usable as server and client; the server requires the host's
    certificate (PLUGIN_CLIENT_CERT, PEM) and trusts nothing else; the handshake's sixth field is the
    certificate's DER in base64 without padding.
    """
    host_pem = os.environ.get("PLUGIN_CLIENT_CERT", "")
    if not host_pem.strip():
        return None, None
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Compensa plugin"),
        ]
    )
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(seconds=30))  # some slack for the host's clock
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False,
        )
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    certificate_pem = certificate.public_bytes(serialization.Encoding.PEM)
    credentials = grpc.ssl_server_credentials(
        [(key_pem, certificate_pem)], root_certificates=host_pem.encode("ascii"), require_client_auth=True
    )
    der = certificate.public_bytes(serialization.Encoding.DER)
    return credentials, base64.b64encode(der).decode("ascii").rstrip("=")


def bind(server, credentials=None):
    """Returns (network, address) of the listener added to server (TLS when credentials are given)."""

    def add(address):
        if credentials is None:
            return server.add_insecure_port(address)
        return server.add_secure_port(address, credentials)

    socket_dir = os.environ.get("PLUGIN_UNIX_SOCKET_DIR")
    if socket_dir:
        path = os.path.join(socket_dir, "plugin-%d.sock" % os.getpid())
        add("unix://" + path)
        return "unix", path
    low = int(os.environ.get("PLUGIN_MIN_PORT", "10000"))
    high = int(os.environ.get("PLUGIN_MAX_PORT", "25000"))
    ports = list(range(low, high + 1))
    start = random.randrange(len(ports))
    for port in ports[start:] + ports[:start]:
        try:
            if add("127.0.0.1:%d" % port) == port:
                return "tcp", "127.0.0.1:%d" % port
        except RuntimeError:
            continue
    raise RuntimeError("no free TCP port between %d and %d" % (low, high))


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open("/proc/%d/stat" % pid, "r") as stat:
            text = stat.read()
        return text[text.rindex(")") + 2] != "Z"  # a zombie host is gone too
    except (OSError, ValueError, IndexError):
        return True


def start_orphan_guard(stop):
    """Exits when the host is gone: COMPENSA_HOST_PID's process, or the parent we started with."""
    parent = os.getppid()
    host_pid = None
    raw = os.environ.get("COMPENSA_HOST_PID", "")
    if raw:
        try:
            host_pid = int(raw)
        except ValueError:
            log("warn", "COMPENSA_HOST_PID is not a process id; watching the parent only", value=raw)

    def watch():
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                reason = "parent process %d is gone" % parent
            elif host_pid and not alive(host_pid):
                reason = "host process %d (COMPENSA_HOST_PID) is gone" % host_pid
            else:
                continue
            log("warn", "host is gone, exiting", reason=reason)
            stop()
            os._exit(2)

    threading.Thread(target=watch, name="orphan-guard", daemon=True).start()


def read_root():
    raw = os.environ.get("COMPENSA_PLUGIN_CONFIG", "")
    if not raw.strip():
        return None  # Describe still works; driver calls say what is missing
    try:
        config = json.loads(raw)
    except ValueError as error:
        raise ValueError('COMPENSA_PLUGIN_CONFIG is not JSON like {"root": "/absolute/dir"}: %s' % error)
    root = config.get("root") if isinstance(config, dict) else None
    if not isinstance(root, str) or not os.path.isabs(root):
        raise ValueError('COMPENSA_PLUGIN_CONFIG needs "root" set to an absolute directory, got %r' % (root,))
    root = os.path.normpath(root)
    for directory in (root, os.path.join(root, LEDGER_DIR), os.path.join(root, FINALIZED_DIR)):
        os.makedirs(directory, exist_ok=True)
    return root


def debug_mode():
    """Whether COMPENSA_PLUGIN_DEBUG asks for debug mode (docs/protocol.md, section 5a)."""
    return os.environ.get("COMPENSA_PLUGIN_DEBUG", "").lower() in ("1", "true")


def enter_debug_mode():
    """What a host would pass, for a plugin nobody launched: no cookie check, no AutoMTLS, no host
    to watch, a private socket directory of its own."""
    import tempfile

    os.environ.pop("PLUGIN_CLIENT_CERT", None)
    os.environ.pop("COMPENSA_HOST_PID", None)
    os.environ.setdefault("PLUGIN_PROTOCOL_VERSIONS", "1")
    if not os.environ.get("PLUGIN_UNIX_SOCKET_DIR"):
        os.environ["PLUGIN_UNIX_SOCKET_DIR"] = tempfile.mkdtemp(prefix="compensa-debug")


def main():
    debug = debug_mode()
    if debug:
        enter_debug_mode()
    if not debug and os.environ.get(COOKIE_KEY) != COOKIE_VALUE:
        sys.stderr.write(
            "This program is a Compensa plugin (python-notes); it is not meant to be run directly: "
            "start it from a Compensa host.\n"
        )
        return 1
    try:
        root = read_root()
    except (ValueError, OSError) as error:
        sys.stderr.write("compensa-python-notes: %s\n" % error)
        return 1
    if root is None:
        log("warn", "no configuration: answering Describe only", variable="COMPENSA_PLUGIN_CONFIG")
    if not debug:
        # like go-plugin: a Ctrl-C meant for the host must not kill the plugin first (in debug mode it
        # runs in its author's terminal, where Ctrl-C should stop it)
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    store = NoteStore(root)
    stopping = threading.Event()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16, thread_name_prefix="grpc"))

    def stop():
        if not stopping.is_set():
            stopping.set()
            server.stop(grace=1.0)

    health_servicer = health.HealthServicer()
    health_servicer.set("plugin", health_pb2.HealthCheckResponse.SERVING)
    health_servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    grpc_controller_pb2_grpc.add_GRPCControllerServicer_to_server(Controller(stop), server)
    grpc_stdio_pb2_grpc.add_GRPCStdioServicer_to_server(Stdio(stopping), server)
    plugin_service_pb2_grpc.add_PluginServiceServicer_to_server(PluginService(), server)
    driver_service_pb2_grpc.add_DriverServiceServicer_to_server(DriverService(store), server)
    finalizer_service_pb2_grpc.add_FinalizerServiceServicer_to_server(FinalizerService(store), server)
    reflection.enable_server_reflection(
        (
            "grpc.health.v1.Health",
            "plugin.GRPCController",
            "plugin.GRPCStdio",
            "compensa.v1.PluginService",
            "compensa.v1.DriverService",
            "compensa.v1.FinalizerService",
            reflection.SERVICE_NAME,
        ),
        server,
    )

    credentials, certificate_field = auto_mtls()
    try:
        network, address = bind(server, credentials)
    except RuntimeError as error:
        log("error", "cannot listen", error=str(error))
        return 1
    server.start()
    if not debug:
        start_orphan_guard(stop)
    version = choose_version()
    log("info", "serving", root=root, network=network, address=address, pid=os.getpid(), tls=bool(credentials))
    line = "1|%d|%s|%s|grpc" % (version, network, address)
    if certificate_field:
        line += "|" + certificate_field
    if debug:
        # no host reads this: the author pastes it into the shell that runs compensa
        line = "export COMPENSA_REATTACH_PLUGINS='%s'" % json.dumps({NAME: line}, separators=(",", ":"))
        log("info", "debug mode: paste the line above into the shell that runs compensa; Ctrl-C stops the plugin")
    sys.stdout.write(line + "\n")
    sys.stdout.flush()

    try:
        server.wait_for_termination()
    except KeyboardInterrupt:
        stop()
    log("info", "stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
