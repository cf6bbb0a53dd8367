"""Property-based contract test: Schemathesis generates requests from the OpenAPI document and
checks every answer of a real server (a subprocess on loopback, with --demo data) against it
with all of its checks: no 5xx; a documented status, content type, headers and body; requests
the schema allows are accepted and requests it forbids are refused (so every header, format,
length and "one of" rule the server enforces is in the document); a missing required header
is refused; an operation that needs a credential refuses a call without one; 405 with an
exact `Allow` for an undeclared method (OPTIONS too).

One refinement of "schema-valid data is accepted": Schemathesis counts any 422 to a
schema-valid request as a rejection, but some of the server's rules cannot be written in a
JSON Schema (a member number's check digit, whether a card code is current, the programme's
largest purchase, whether a referral code exists). Those answer 422 with a problem of their
own, listed in `BEYOND_A_SCHEMA`; `schema_valid_is_not_malformed` fails a schema-valid request
refused with any other 422 (`validation`, `invalid-email`, …), which would mean the document
does not say a rule the server enforces.

The operations are collected from the committed copy (src/loyalty_core/openapi.json), one
pytest item each; before any request the module asserts that the running server serves exactly
that document, so the cases come from the served contract. (Schemathesis' lazy
``schemathesis.pytest.from_fixture`` would fetch it at run time instead, but 4.32 does not run
under pytest 9: it reads ``Function._nodeid``, which pytest 9 no longer has.)

Member routes are called with a demo member's access token, /v1/checkout/* with a staff
credential. Random data rarely gets past the business checks (a member number that exists, an
amount, a one-time code), so every other positive fuzzing case of those operations is steered
to real values from the server: that way the success answers are checked against their schema
too. Generation is bounded (a few examples per operation, a few hundred requests in all) and
derandomized with a fixed seed, so CI sends the same cases every run.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis import GenerationMode
from schemathesis.core import NotSet
from schemathesis.core.parameters import ParameterLocation

from loyalty_core.problems import slug_of
from tests.support.servers import ServerProcess, add_staff

COMMITTED_OPENAPI = Path(__file__).resolve().parents[3] / "src/loyalty_core/openapi.json"
REGENERATE = ".venv/bin/loyalty-server openapi > src/loyalty_core/openapi.json"
# 422 problems for rules a JSON Schema cannot state (see the module's docstring).
BEYOND_A_SCHEMA = frozenset(
    {
        "bad-check-digit",  # a Luhn check digit
        "not-our-code",  # another programme's card prefix
        "unreadable-code",  # a card code whose step is not a multiple of the period
        "unknown-card",
        "card-revoked",
        "token-expired",
        "token-not-yet-valid",
        "token-invalid",  # the TOTP digits are wrong
        "voucher-not-card",  # a voucher's QR scanned where a card is needed
        "scan-time-invalid",  # an offline scan time ahead of the server or before the card
        "invalid-amount",  # more than the programme's maximum or its currency's decimals
        "invalid-voucher-code",  # letters the voucher alphabet leaves out (I, O, 0, 1)
        "unknown-referral-code",
        "own-referral-code",
        "invalid-birthday",  # in the future or before 1900
        "invalid-cursor",  # a cursor the server did not hand out
        "invalid-timestamp",  # before the first or after the last UTC instant
        "idempotency-key-reused",  # the same key with another body
    }
)
MAX_EXAMPLES = 20  # per operation in the fuzzing phase; the coverage phase adds boundary cases
MAX_REQUESTS = 1600  # a guard for the whole module, so the run stays CI-sized
MIN_REQUESTS = 1000  # and the least it must try (issue 10: "at least 1,000 generated cases")
AMOUNTS = ["4.75", "0.01", "12.40", "999.99", "1000"]

schema = schemathesis.openapi.from_path(
    COMMITTED_OPENAPI,
    config=schemathesis.Config.from_dict(
        {
            "seed": 20260101,
            "generation": {"deterministic": True, "database": "none"},
            # Two wrong-method probes per operation are enough (the default tries seven);
            # OPTIONS is the one whose `Allow` is checked against the document.
            "phases": {"coverage": {"unexpected-methods": ["DELETE", "OPTIONS"]}},
            # 422 is judged by schema_valid_is_not_malformed below.
            "checks": {
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]
                }
            },
            # This server has no SMS gateway: a code for a phone number is its documented
            # 503 delivery-unavailable.
            "operations": [
                {
                    "include-path": "/v1/auth/code",
                    "checks": {
                        "not_a_server_error": {"expected-statuses": ["2xx", "3xx", "4xx", "503"]},
                        "positive_data_acceptance": {
                            "expected-statuses": ["2xx", "401", "409", "422", "429", "503"]
                        },
                    },
                }
            ],
        }
    ),
)


FUZZED = schema.exclude(path="/v1/auth/sign-out")
OPERATIONS = sum(1 for _ in FUZZED.get_all_operations())


class Api:
    """A running --demo server, a demo member's access token, a staff credential, and real
    values (member number, rewards, credits, vouchers, codes) to steer cases with."""

    def __init__(self, server: ServerProcess, staff_token: str, smtp) -> None:  # noqa: ANN001
        self.server = server
        self.base_url = server.base_url
        self.smtp = smtp
        self.client = httpx.Client(base_url=server.base_url, timeout=15)
        self.staff = {"Authorization": f"Bearer {staff_token}"}
        self.member = {"Authorization": f"Bearer {self.sign_in()['access_token']}"}
        self.member_number = self._get("/v1/me", self.member)["member_number"]
        self.referral_code = self._get("/v1/referral", self.member)["code"]
        self.reward_ids = [r["id"] for r in self._get("/v1/rewards", {})["items"]]
        self.cheapest_reward = min(self._get("/v1/rewards", {})["items"], key=lambda r: r["cost"])
        self.requests: Counter[str] = Counter()
        self.positives: Counter[str] = Counter()
        self.steered: Counter[str] = Counter()
        self.answers: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self._made = 0
        self.credit("1000")  # points for the vouchers the steered cases redeem

    def close(self) -> None:
        self.client.close()

    def _get(self, path: str, headers: dict[str, str]) -> dict:
        reply = self.client.get(path, headers=headers)
        assert reply.status_code == 200, reply.text
        return reply.json()

    def _post(self, path: str, body: dict, headers: dict[str, str], status: int) -> dict:
        reply = self.client.post(path, json=body, headers=headers)
        assert reply.status_code == status, f"{path}: {reply.status_code} {reply.text}"
        return reply.json()

    def _key(self, what: str) -> dict[str, str]:
        self._made += 1
        return {"Idempotency-Key": f"schemathesis-setup-{what}-{self._made}"}

    def sign_in(self) -> dict:
        return self._post("/v1/auth/demo", {"device_name": "schemathesis"}, {}, 200)

    def credit(self, amount: str) -> int:
        body = {"member_number": self.member_number, "amount": amount}
        return self._post("/v1/checkout/credit", body, self.staff | self._key("credit"), 201)[
            "credit_id"
        ]

    def voucher_code(self) -> str:
        path = f"/v1/rewards/{self.cheapest_reward['id']}/redeem"
        return self._post(path, {}, self.member | self._key("redeem"), 201)["voucher"]["code"]

    def one_time_code(self, email: str) -> str:
        after = self.smtp.mark()
        self._post("/v1/auth/code", {"email": email}, {}, 202)
        return self.smtp.wait_for_code(email, after=after)

    def auth_for(self, case) -> dict[str, str]:  # noqa: ANN001
        path = case.operation.path
        headers = case.meta.components.get(ParameterLocation.HEADER) if case.meta else None
        sent = {name.lower() for name in case.headers or {}}
        if headers is not None and headers.mode.is_negative and "authorization" not in sent:
            return {}  # this case leaves the credential out on purpose
        if path.startswith("/v1/checkout/"):
            return self.staff
        if case.operation.definition.raw.get("security"):
            return self.member
        return {}

    def steer(self, case) -> None:  # noqa: ANN001
        """Every other positive fuzzing case of the operations below gets real values."""
        meta = case.meta
        if meta is None or meta.generation.mode != GenerationMode.POSITIVE:
            return
        if meta.phase.name != "fuzzing" or not isinstance(case.body, dict | NotSet):
            return
        label = case.operation.label
        n = self.positives[label]
        self.positives[label] += 1
        if n % 2:
            return
        has_body = isinstance(case.body, dict)
        body = dict(case.body) if has_body else {}
        key = {"Idempotency-Key": f"schemathesis-{label.replace(' ', '')}-{n}"}
        match label:
            case "POST /v1/checkout/credit":
                body.pop("token", None)
                body |= {"member_number": self.member_number, "amount": AMOUNTS[n // 2 % 5]}
            case "POST /v1/checkout/credits/{credit_id}/void":
                case.path_parameters = {"credit_id": self.credit("3.95")}
            case "POST /v1/checkout/lookup":
                body["member_number"] = self.member_number
            case "POST /v1/checkout/scan":
                body["token"] = self.member_number
            case "POST /v1/checkout/join":
                body |= {"email": f"join-{n}@harbor.test", "phone": None, "referral_code": None}
            case "POST /v1/checkout/vouchers/redeem":
                body["code"] = self.voucher_code()
            case "POST /v1/rewards/{reward_id}/redeem":
                case.path_parameters = {"reward_id": self.reward_ids[n // 2 % len(self.reward_ids)]}
            case "POST /v1/auth/code":
                body |= {"email": f"code-{n}@harbor.test", "phone": None}
            case "POST /v1/auth/verify":
                email = f"verify-{n}@harbor.test"
                code = self.one_time_code(email)
                body |= {"email": email, "phone": None, "code": code, "referral_code": None}
            case "POST /v1/auth/refresh":
                body["refresh_token"] = self.sign_in()["refresh_token"]
            case "GET /r/{code}":
                case.path_parameters = {"code": self.referral_code}
            case _:
                return
        if has_body:
            case.body = body
        if case.operation.path.startswith(("/v1/checkout/", "/v1/rewards/")) and label.startswith(
            "POST"
        ):
            case.headers = {**(case.headers or {}), **key}
        self.steered[label] += 1


@pytest.fixture(scope="module")
def server_options() -> dict:
    return {"demo": True}


@pytest.fixture(scope="module")
def api(module_server, smtp, request):
    served = httpx.get(f"{module_server.base_url}/openapi.json", timeout=10).json()
    committed = json.loads(COMMITTED_OPENAPI.read_text(encoding="utf-8"))
    assert served == committed, (
        f"the server serves a different OpenAPI document than {COMMITTED_OPENAPI.name}; "
        f"run `{REGENERATE}`"
    )
    api = Api(module_server, add_staff(module_server.database_url, "Schemathesis kiosk"), smtp)
    started = time.monotonic()
    yield api
    api.close()
    total = sum(api.requests.values())
    summary = (
        f"schemathesis: {total} requests over {len(api.requests)} operations in "
        f"{time.monotonic() - started:.0f} s, {sum(api.steered.values())} steered to real values"
    )
    # In the run's output whatever the capture setting, so each run's count is on record.
    with request.config.pluginmanager.get_plugin("capturemanager").global_and_fixture_disabled():
        print(f"\n{summary}")
    for label, answers in sorted(api.answers.items()):
        print(f"  {label}: {dict(sorted(answers.items()))}")
    assert total <= MAX_REQUESTS, f"{total} requests: too many for CI, lower MAX_EXAMPLES"
    if len(api.requests) == OPERATIONS:  # the whole module ran, not a -k selection
        assert total >= MIN_REQUESTS, f"only {total} cases: raise MAX_EXAMPLES"


@pytest.fixture(scope="module")
def http():
    with requests.Session() as session:
        yield session


@pytest.fixture(autouse=True)
def _no_tracebacks_in_server_log(api):
    seen = len(api.server.log_text())
    yield
    new = api.server.log_text()[seen:]
    assert "Traceback" not in new, f"the server logged an error:\n{new[-6000:]}"


def schema_valid_is_not_malformed(ctx, response, case) -> None:  # noqa: ANN001
    """A request the schema allows is never refused as malformed (see `BEYOND_A_SCHEMA`)."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return
    slug = slug_of(response.json().get("type", ""))
    if slug not in BEYOND_A_SCHEMA:
        raise AssertionError(
            f"a request the schema allows was refused as malformed ({slug}): the document "
            f"does not state a rule the server enforces\n{response.text[:600]}"
        )


def allow_names_the_documented_methods(ctx, response, case) -> None:  # noqa: ANN001
    """A 405's `Allow` lists exactly the path's documented methods (Schemathesis lets an empty
    `Allow` pass; the server once sent one)."""
    if response.status_code != 405:
        return
    allowed = sorted(m.strip() for m in response.headers.get("allow", [""])[0].split(",") if m)
    documented = sorted(
        m.upper() for m in case.operation.schema.raw_schema["paths"][case.operation.path]
    )
    if allowed != documented:
        raise AssertionError(f"Allow: {allowed}, the document has {documented}")


@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failing run stays short
    suppress_health_check=list(HealthCheck),
)
@FUZZED.parametrize()
def test_api_conforms_to_its_openapi(case, api, http) -> None:  # noqa: ANN001
    api.steer(case)
    api.requests[case.operation.label] += 1
    headers = api.auth_for(case)
    response = case.call(base_url=api.base_url, session=http, headers=headers, timeout=15)
    api.answers[case.operation.label][str(response.status_code)] += 1
    case.validate_response(
        response,
        headers=headers,
        additional_checks=[schema_valid_is_not_malformed, allow_names_the_documented_methods],
    )


def test_sign_out_conforms_to_its_openapi(api, http) -> None:  # noqa: ANN001
    """Sign-out is left out of the fuzzing (it would end the shared session); here it is
    called as documented and every answer is checked with all the checks: 204, then the
    same token is 401, and so is a call with no token."""
    operation = schema["/v1/auth/sign-out"]["POST"]
    token = {"Authorization": f"Bearer {api.sign_in()['access_token']}"}
    for headers, status in ((token, 204), (token, 401), ({}, 401)):
        case = operation.Case()
        response = case.call(base_url=api.base_url, session=http, headers=headers, timeout=15)
        assert response.status_code == status, response.text
        case.validate_response(response, headers=headers)
    assert api.client.get("/v1/me", headers=token).status_code == 401
